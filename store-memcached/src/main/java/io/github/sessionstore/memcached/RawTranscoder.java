package io.github.sessionstore.memcached;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/** Byte arrays as they are: no serialization, no compression, flags 0. */
final class RawTranscoder implements Transcoder<byte[]> {

    static final Transcoder<byte[]> RAW = new RawTranscoder();

    private RawTranscoder() {
    }

    @Override
    public boolean asyncDecode(CachedData d) {
        return false;
    }

    @Override
    public CachedData encode(byte[] o) {
        return new CachedData(0, o, getMaxSize());
    }

    @Override
    public byte[] decode(CachedData d) {
        return d.getData();
    }

    /** The server enforces its own item size limit (memcached -I); the store's maxSessionSize comes first. */
    @Override
    public int getMaxSize() {
        return Integer.MAX_VALUE;
    }
}
