package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.apache.catalina.Valve;
import org.junit.jupiter.api.Test;

/** Settings: validated, readable, sealed at start; and a store whose backend is unreachable still starts. */
class StoreSettingsTest {

    /** A store whose backend can never be reached (as with a database that is down at Tomcat start). */
    static final class UnreachableStore extends AbstractSessionStore {
        int attempts;

        @Override
        protected SessionBackend openBackend(String namespace) throws IOException {
            attempts++;
            throw new IOException("connection refused");
        }
    }

    @Test
    void settingsAreValidatedAndReadable() {
        UnreachableStore s = new UnreachableStore();
        assertEquals("write-through", s.getFlushPolicy());
        s.setFlushPolicy("ASYNC");
        assertEquals("async", s.getFlushPolicy());
        assertThrows(IllegalArgumentException.class, () -> s.setFlushPolicy("sometimes"));
        assertThrows(IllegalArgumentException.class, () -> s.setTouchThreshold(0));
        assertThrows(IllegalArgumentException.class, () -> s.setTouchThreshold(1.5));
        assertThrows(IllegalArgumentException.class, () -> s.setMaxLocalIdle(-1));
        assertThrows(IllegalArgumentException.class, () -> s.setMaxSessionSize(10));
        assertThrows(IllegalArgumentException.class, () -> s.setAsyncQueueSize(0));
        assertThrows(IllegalArgumentException.class, () -> s.setExpiryBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> s.setOperationTimeout(0));
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> s.setIgnoreUriPattern("(unclosed"));
        s.setIgnoreUriPattern("");
        assertFalse(s.isIgnored("/app/x.css"), "an empty pattern ignores nothing");
        s.setIgnoreUriPattern(".*\\.css$");
        assertTrue(s.isIgnored("/app/x.css"));
        s.setNonSticky(true);
        assertTrue(s.isNonSticky());
        s.setTouchThreshold(0.25);
        assertEquals(0.25, s.getTouchThreshold());
    }

    @Test
    void unreachableBackendAtStartDoesNotPreventStartAndSettingsAreSealed() throws Exception {
        UnreachableStore store = new UnreachableStore();
        try (StoreNode node = new StoreNode(store, "localhost", "/app")) {
            assertTrue(store.getState().isAvailable(), "the store (and so the webapp) starts without its backend");
            assertFalse(store.statistics().isBackendAvailable());
            assertEquals("unavailable", store.statistics().getBackend());
            assertNull(node.load("ABCDEF0123456789"), "a load while the store is down is a miss, not an error");
            assertEquals(FlushResult.FAILED, node.endRequest(node.newSession(60)));
            assertEquals(1, store.attempts, "reconnects are rate limited");
            assertThrows(IllegalStateException.class, () -> store.setFlushPolicy("idle"));
            assertThrows(IllegalStateException.class, () -> store.setNonSticky(true));
            boolean valve = false;
            for (Valve v : node.context.getPipeline().getValves()) {
                valve |= v instanceof WriteThroughValve;
            }
            assertTrue(valve, "the store installed its valve");
        }
    }

    /** Under the idle policy the valve still checks local copies (no stale copy is served), but never flushes. */
    @Test
    void idlePolicyInstallsTheValveToo() throws Exception {
        UnreachableStore store = new UnreachableStore();
        store.setFlushPolicy("idle");
        try (StoreNode node = new StoreNode(store, "localhost", "/app")) {
            boolean valve = false;
            for (Valve v : node.context.getPipeline().getValves()) {
                valve |= v instanceof WriteThroughValve;
            }
            assertTrue(valve, "the valve runs the version check under every flush policy");
        }
    }

    /** touchThreshold is the expiry grace; above 10 % of the timeout it is capped. */
    @Test
    void touchThresholdIsTheGraceCappedAtTenPercent() {
        UnreachableStore s = new UnreachableStore();
        assertEquals(0.1, s.getTouchThreshold(), "default grace");
        s.setTouchThreshold(0.05);
        assertEquals(0.05, s.graceFraction());
        s.setTouchThreshold(0.5);
        assertEquals(0.1, s.graceFraction(), "capped");
    }
}
