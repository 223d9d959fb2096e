package io.github.sessionstore.core;

import java.util.concurrent.atomic.LongAdder;

/** Counters and latencies of one store, read through {@link SessionStoreMXBean}. */
final class StoreMetrics {
    final LongAdder loads = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder saves = new LongAdder();
    final LongAdder touches = new LongAdder();
    final LongAdder skippedWrites = new LongAdder();
    final LongAdder removes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder rejectedIds = new LongAdder();
    final LongAdder corruptRecords = new LongAdder();
    /** Attributes left out of a loaded session because their value could not be deserialized. */
    final LongAdder droppedAttributes = new LongAdder();
    final LongAdder unauthenticatedRecords = new LongAdder();
    final LongAdder oversizeSessions = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder staleEvictions = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder asyncFallbacks = new LongAdder();
    final LongAdder fastFails = new LongAdder();
    final LongAdder unflushedOverflow = new LongAdder();
    final LongAdder versionConflicts = new LongAdder();
    final LongAdder attributeConflicts = new LongAdder();
    final LongAdder lockWaits = new LongAdder();
    final LongAdder lockTimeouts = new LongAdder();
    final LatencyHistogram loadLatency = new LatencyHistogram();
    final LatencyHistogram saveLatency = new LatencyHistogram();
    final LatencyHistogram touchLatency = new LatencyHistogram();
}
