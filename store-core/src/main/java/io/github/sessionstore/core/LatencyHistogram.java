package io.github.sessionstore.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram with logarithmic buckets (four per power of two, so each is at most 25% wide) from
 * 1 µs to about 4 minutes; enough to report p50/p99 over JMX without keeping samples. Values are bucketed in
 * quarter-microseconds so that the smallest buckets are distinct too.
 */
final class LatencyHistogram {

    private static final int SUB_BUCKETS = 4;
    private static final int BUCKETS = 40 * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucketOf(Math.max(4, nanos / 250)));
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
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBoundMicros(i);
            }
        }
        return upperBoundMicros(BUCKETS - 1);
    }

    /** Bucket of a value in quarter-microseconds (at least 4). */
    static int bucketOf(long quarterMicros) {
        int log2 = 63 - Long.numberOfLeadingZeros(quarterMicros);
        int sub = (int) (((quarterMicros - (1L << log2)) * SUB_BUCKETS) >>> log2);
        return Math.min(BUCKETS - 1, log2 * SUB_BUCKETS + sub);
    }

    /** Exclusive upper bound of a bucket, in quarter-microseconds. */
    static long upperBound(int bucket) {
        int log2 = bucket / SUB_BUCKETS;
        int sub = bucket % SUB_BUCKETS;
        return (1L << log2) + (((sub + 1L) << log2) / SUB_BUCKETS);
    }

    static long upperBoundMicros(int bucket) {
        return (upperBound(bucket) + 3) / 4;
    }
}
