package io.github.sessionstore.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram with logarithmic buckets (each about 19% wide) from 1 µs to about 70 s; enough to
 * report p50/p99 over JMX without keeping samples.
 */
final class LatencyHistogram {

    private static final int SUB_BUCKETS = 4;
    private static final int BUCKETS = 27 * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucketOf(Math.max(1, nanos / 1000)));
    }

    /** The upper bound, in microseconds, of the bucket holding the given quantile; 0 when nothing was recorded. */
    long percentileMicros(double quantile) {
        long total = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBoundMicros(i);
            }
        }
        return upperBoundMicros(BUCKETS - 1);
    }

    static int bucketOf(long micros) {
        int log2 = 63 - Long.numberOfLeadingZeros(micros);
        int sub = log2 == 0 ? 0 : (int) (((micros - (1L << log2)) * SUB_BUCKETS) >>> log2);
        return Math.min(BUCKETS - 1, log2 * SUB_BUCKETS + sub);
    }

    static long upperBoundMicros(int bucket) {
        int log2 = bucket / SUB_BUCKETS;
        int sub = bucket % SUB_BUCKETS;
        return (1L << log2) + (((sub + 1L) << log2) / SUB_BUCKETS);
    }
}
