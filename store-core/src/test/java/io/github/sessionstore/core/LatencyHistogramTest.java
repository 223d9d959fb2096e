package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesFallInTheRightBucket() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentileMicros(0.5));
        for (int i = 0; i < 98; i++) {
            h.record(100_000); // 100 µs
        }
        h.record(50_000_000); // 50 ms
        h.record(50_000_000);
        long p50 = h.percentileMicros(0.50);
        long p99 = h.percentileMicros(0.99);
        assertTrue(p50 >= 100 && p50 <= 120, "p50 " + p50);
        assertTrue(p99 >= 50_000 && p99 <= 60_000, "p99 " + p99);
    }

    @Test
    void bucketBoundsAreConsistent() {
        long prev = 4;
        for (int b = 2 * 4; b < 150; b++) {
            long ub = LatencyHistogram.upperBound(b);
            assertTrue(ub > prev, "bucket " + b);
            assertEquals(b, LatencyHistogram.bucketOf(ub - 1), "the largest value of bucket " + b);
            assertEquals(b + 1, LatencyHistogram.bucketOf(ub), "the next value starts bucket " + (b + 1));
            prev = ub;
        }
    }
}
