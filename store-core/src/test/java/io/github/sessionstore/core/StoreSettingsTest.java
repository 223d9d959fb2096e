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
        s.setIgnoreUriPattern("");
        assertFalse(s.isIgnored("/app/x.css"), "an empty pattern ignores nothing");
        s.setIgnoreUriPattern(".*\\.css$");
        assertTrue(s.isIgnored("/app/x.css"));
        s.setNonSticky(true);
        assertTrue(s.isNonSticky());
        s.setTouchThreshold("0.25");
        assertEquals("0.25", s.getTouchThreshold());
        assertNull(s.refusedSettings(), "every value was taken");
    }

    /** A setter never throws (Tomcat would log the value and start without it): it records, and start() refuses. */
    @Test
    void aRefusedValueIsRecordedNamedWithoutItsValueAndLaterTakenBack() {
        UnreachableStore s = new UnreachableStore();
        s.setFlushPolicy("sometimes");
        s.setTouchThreshold("0");
        s.setTouchThreshold("1.5");
        s.setMaxLocalIdle(-1);
        s.setMaxSessionSize(10);
        s.setAsyncQueueSize(0);
        s.setExpiryBatchSize(0);
        s.setOperationTimeout(0);
        s.setIgnoreUriPattern("(unclosed");
        s.setClassAllowList("[secret-looking");
        s.setEncryptionKeys("k1:c2VjcmV0LW1hdGVyaWFsLXRoYXQtaXMtdG9vLXNob3J0");
        String refused = s.refusedSettings();
        for (String attribute : new String[] { "flushPolicy", "touchThreshold", "maxLocalIdle", "maxSessionSize",
                "asyncQueueSize", "expiryBatchSize", "operationTimeout", "ignoreUriPattern", "classAllowList",
                "encryptionKeys" }) {
            assertTrue(refused.contains("[" + attribute + "]"), attribute + " in: " + refused);
        }
        for (String value : new String[] { "sometimes", "1.5", "(unclosed", "[secret-looking",
                "c2VjcmV0LW1hdGVyaWFsLXRoYXQtaXMtdG9vLXNob3J0" }) {
            assertFalse(refused.contains(value), "the line quotes no value: " + refused);
        }
        assertEquals("write-through", s.getFlushPolicy(), "a refused value is not taken");
        assertEquals("0.1", s.getTouchThreshold());
        assertEquals("", s.getClassAllowList());
        assertNull(s.getEncryptionKeys());
        s.setFlushPolicy("idle");
        assertFalse(s.refusedSettings().contains("[flushPolicy]"), "a valid value set later stands");
    }

    @Test
    void aStoreWithARefusedValueDoesNotStartAndLogsOneLineNamingIt() throws Exception {
        UnreachableStore store = new UnreachableStore();
        store.setClassAllowList("(unclosed");
        try (LogCapture logs = new LogCapture()) {
            org.apache.catalina.LifecycleException e = assertThrows(org.apache.catalina.LifecycleException.class,
                    () -> new StoreNode(store, "localhost", "/app").close());
            assertTrue(String.valueOf(e.getMessage()).contains("[classAllowList]")
                    || String.valueOf(e.getCause()).contains("[classAllowList]"), String.valueOf(e));
            assertEquals(0, store.attempts, "a store that refused its configuration never runs (weaker)");
            assertEquals(1, logs.count("[classAllowList] is not a valid regular expression"), logs.lines()::toString);
            assertEquals(0, logs.count("(unclosed"), logs.lines()::toString);
        }
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
            store.setFlushPolicy("idle");
            store.setNonSticky(true);
            assertEquals("write-through", store.getFlushPolicy(), "sealed at start: the change is ignored");
            assertFalse(store.isNonSticky());
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
        assertEquals("0.1", s.getTouchThreshold(), "default grace");
        s.setTouchThreshold("0.05");
        assertEquals(0.05, s.graceFraction());
        s.setTouchThreshold("0.5");
        assertEquals(0.1, s.graceFraction(), "capped");
    }
}
