package io.github.sessionstore.memcached;

import net.spy.memcached.transcoders.Transcoder;

/**
 * The benchmarks' window into store-memcached's package-private parts (as {@code BenchAccess} is into store-core's):
 * the floor stores its bytes as the store does.
 */
public final class MemcachedBenchAccess {

    private MemcachedBenchAccess() {
    }

    /** The store's transcoder: byte arrays as they are, no serialization, no compression, flags 0. */
    public static Transcoder<byte[]> rawTranscoder() {
        return RawTranscoder.RAW;
    }
}
