package io.github.sessionstore.benchmarks;

import org.apache.catalina.session.StandardSession;

import io.github.sessionstore.core.BenchAccess;
import io.github.sessionstore.core.StoreNode;

/** {@link SessionOps} through the backend's raw client, with the very bytes our store would write. */
final class FloorOps implements SessionOps {

    private static final String KEY = "floor-session";

    private final Floor floor;
    private final byte[] bytes;
    private long expiresAt;

    FloorOps(Backend.Fixture fixture, int payloadBytes) throws Exception {
        // A throwaway node only to build the session and encode it as the store would
        try (StoreNode n = new StoreNode(fixture.newStore(), "localhost", "/bench-floor-encode")) {
            StandardSession s = StoreOps.newSession(n, payloadBytes);
            bytes = BenchAccess.encode(s);
        }
        floor = fixture.floor();
        expiresAt = System.currentTimeMillis() + StoreOps.TIMEOUT_SECONDS * 1000L;
        floor.write(KEY, bytes, expiresAt);
        if (floor.read(KEY).length != bytes.length) {
            throw new IllegalStateException("the floor does not read back what it wrote");
        }
    }

    int encodedLength() {
        return bytes.length;
    }

    @Override
    public void save() throws Exception {
        floor.write(KEY, bytes, ++expiresAt);
    }

    @Override
    public Object load() throws Exception {
        return floor.read(KEY);
    }

    /** A raw read of the record: what a client without a metadata read would do to learn its version. */
    @Override
    public Object check() throws Exception {
        return floor.read(KEY);
    }

    /** The same expiry as the store's touch: now + timeout (the same value within a millisecond, as the store's). */
    @Override
    public void touch() throws Exception {
        floor.touch(KEY, System.currentTimeMillis() + StoreOps.TIMEOUT_SECONDS * 1000L);
    }

    /** Nothing: without dirty detection a raw client has nothing to decide (kept so every benchmark has a row). */
    @Override
    public void unchanged() {
    }

    @Override
    public void close() throws Exception {
        floor.close();
    }
}
