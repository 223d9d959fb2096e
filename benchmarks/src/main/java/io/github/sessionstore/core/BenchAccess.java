package io.github.sessionstore.core;

import java.io.IOException;

import org.apache.catalina.session.StandardSession;

/**
 * The benchmarks' window into store-core's package-private parts (as HikariCP's {@code TestElf}): the exact bytes the
 * store would write, so that the floor writes the same bytes, and the end-of-request flush by name.
 */
public final class BenchAccess {

    private BenchAccess() {
    }

    /** The record payload the store writes for {@code session} (header + serialized session). */
    public static byte[] encode(StandardSession session) throws IOException {
        return SessionCodec.encode(session).bytes();
    }

    /** What the valve does at the end of a request; returns the flush result's name (WRITTEN, TOUCHED, SKIPPED ...). */
    public static String endRequest(StoreNode node, StandardSession session) {
        return node.endRequest(session).name();
    }

    /**
     * The version check a request of {@code id} starts with in sticky mode (a metadata read of the stored version
     * when this node holds a copy); {@code false} when the store did not answer.
     */
    public static boolean checkCopy(StoreNode node, String id) {
        return node.store.requestScope().checkCopy(id);
    }

    /** The backend key the store uses for session id {@code id} (the id without its jvmRoute), or null if invalid. */
    public static String storageKey(String id) {
        return SessionKeys.storageKey(id);
    }

    /** The store's count of expired records it claimed (JMX ExpiredSessions). */
    public static long expiredClaims(AbstractSessionStore store) {
        return store.statistics().getExpiredSessions();
    }

    /**
     * Make the next unchanged flush of {@code session} a touch: forget the stored expiry this node knows, as if it had
     * run low (a touch is due once it no longer covers a full timeout).
     */
    public static void touchDue(StandardSession session) {
        FlushState state = FlushState.of(session);
        if (state != null) {
            state.storedExpiresAt = 0;
        }
    }
}
