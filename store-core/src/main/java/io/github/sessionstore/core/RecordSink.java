package io.github.sessionstore.core;

import java.io.IOException;

/**
 * Where a plain write goes: straight to the backend, or (flushPolicy="async") through the bounded queue of an
 * {@link AsyncFlusher}, falling back to a direct write when it is full.
 */
interface RecordSink {

    FlushResult put(String key, StoredSession record, boolean sync) throws IOException;

    /** Whether a write of {@code key} is queued and not yet in the store. */
    boolean isPending(String key);

    /** Queued writes. */
    int depth();

    /** Stop, writing what is queued within the bound. */
    void stop(long timeoutMillis);

    /** Direct writes. */
    static RecordSink direct(BackendGuard guard, StoreMetrics metrics) {
        return new RecordSink() {
            @Override
            public FlushResult put(String key, StoredSession record, boolean sync) throws IOException {
                guard.timed(metrics.saveLatency, b -> {
                    b.save(key, record);
                    return null;
                });
                metrics.saves.increment();
                return FlushResult.WRITTEN;
            }

            @Override
            public boolean isPending(String key) {
                return false;
            }

            @Override
            public int depth() {
                return 0;
            }

            @Override
            public void stop(long timeoutMillis) {
            }
        };
    }

    /** Writes queued for a background thread unless {@code sync}; direct when the queue is full. */
    static RecordSink queued(RecordSink direct, String threadName, int capacity, StoreMetrics metrics) {
        AsyncFlusher flusher = new AsyncFlusher(threadName, capacity, (key, record) -> direct.put(key, record, true));
        return new RecordSink() {
            @Override
            public FlushResult put(String key, StoredSession record, boolean sync) throws IOException {
                if (!sync) {
                    if (flusher.offer(key, record)) {
                        return FlushResult.QUEUED;
                    }
                    metrics.asyncFallbacks.increment();
                }
                return direct.put(key, record, true);
            }

            @Override
            public boolean isPending(String key) {
                return flusher.isPending(key);
            }

            @Override
            public int depth() {
                return flusher.depth();
            }

            @Override
            public void stop(long timeoutMillis) {
                flusher.stop(timeoutMillis);
            }
        };
    }
}
