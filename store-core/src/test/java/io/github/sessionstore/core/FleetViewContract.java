package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;

/**
 * The whole store over JMX ({@link FleetView} behind {@link SessionStoreMXBean}): every call goes through the platform
 * MBeanServer, so the MXBean's open types are what a JMX client gets.
 */
public interface FleetViewContract extends FleetFixture {

    @Test
    default void storedSessionsCountsWritesAndDeletes() throws Exception {
        StoreNode n = node(s -> { });
        List<StandardSession> sessions = written(n, 3);
        if (!listsSessions()) {
            assertEquals(-1, getAttribute(n, "StoredSessions"), "a backend that cannot count says -1");
            return;
        }
        assertEquals(3, getAttribute(n, "StoredSessions"));
        n.invalidateInRequest(sessions.get(0));
        assertEquals(2, getAttribute(n, "StoredSessions"));
    }

    @Test
    default void pagingReturnsEveryIdExactlyOnce() throws Exception {
        StoreNode n = node(s -> { });
        List<StandardSession> sessions = written(n, 7);
        if (!listsSessions()) {
            RuntimeException e = jmxError(() -> invoke(n, "listSessionIds", "", 3));
            assertTrue(e instanceof UnsupportedOperationException && e.getMessage().contains("cannot list"), e::toString);
            return;
        }
        Set<String> expected = new HashSet<>();
        sessions.forEach(s -> expected.add(s.getIdInternal()));
        List<String> seen = new ArrayList<>();
        String after = "";
        for (int pages = 0; pages < 10; pages++) {
            String[] page = (String[]) invoke(n, "listSessionIds", after, 3);
            assertTrue(page.length <= 3, "a page holds at most max ids");
            if (page.length == 0) {
                break;
            }
            seen.addAll(List.of(page));
            after = page[page.length - 1];
        }
        assertEquals(expected.size(), seen.size(), "no id twice: " + seen);
        assertEquals(expected, new HashSet<>(seen));
        assertEquals(7, ((String[]) invoke(n, "listSessionIds", "", 5000)).length, "a large max is capped, not refused");
        assertTrue(jmxError(() -> invoke(n, "listSessionIds", "", 0)) instanceof IllegalArgumentException);
    }

    @Test
    default void metadataIsWhatWasWritten() throws Exception {
        StoreNode n = node(s -> { });
        StandardSession s = n.newSession(1800);
        s.setAttribute("cart", "three books");
        n.endRequest(s);
        Map<String, String> m = metadata(n, s.getIdInternal());
        StoredSession stored = n.backend().load(s.getIdInternal());
        assertEquals(s.getIdInternal(), m.get("id"));
        assertEquals(Instant.ofEpochMilli(s.getCreationTimeInternal()).toString(), m.get("created"));
        assertEquals(Instant.ofEpochMilli(stored.lastAccessed()).toString(), m.get("lastAccessed"));
        assertEquals(Instant.ofEpochMilli(stored.expiresAt()).toString(), m.get("expiresAt"));
        assertEquals("1800", m.get("maxInactive"));
        assertEquals(Integer.toString(stored.data().length), m.get("sizeBytes"));
        assertEquals(stored.principal() == null ? "" : stored.principal(), m.get("principal"));
        assertEquals(Long.toString(stored.version()), m.get("version"));
        // the id with a jvmRoute names the same record
        assertEquals(m, metadata(n, s.getIdInternal() + ".node7"));
    }

    /** Guards the metadata read without deserialization: a gadget in the session is never instantiated. */
    @Test
    default void metadataNeverDeserializes() throws Exception {
        StoreNode n = node(s -> { });
        StandardSession s = n.newSession(1800);
        s.setAttribute("g", new Gadget());
        n.endRequest(s);
        Gadget.DESERIALIZED.set(0);
        Map<String, String> m = metadata(n, s.getIdInternal());
        assertEquals(0, Gadget.DESERIALIZED.get());
        assertNotEquals("unknown", m.get("created"));
    }

    /** Guards the id check: ids are untrusted even from an operator; refused before the backend, and counted. */
    @Test
    default void aHostileIdIsRefused() throws Exception {
        StoreNode n = node(s -> { });
        for (String id : new String[] { "../../conf/tomcat-users", "a b", "x".repeat(200), "" }) {
            RuntimeException e = jmxError(() -> invoke(n, "sessionMetadata", id));
            assertTrue(e instanceof IllegalArgumentException && e.getMessage().startsWith("Not a valid session id"),
                    e::toString);
        }
        RuntimeException e = jmxError(() -> invoke(n, "listSessionIds", "../x", 3));
        assertTrue(e instanceof IllegalArgumentException, e::toString);
        assertEquals(5, n.metrics().rejectedIds.sum());
    }

    @Test
    default void aMissingIdIsAClearAnswer() throws Exception {
        StoreNode n = node(s -> { });
        RuntimeException e = jmxError(() -> invoke(n, "sessionMetadata", "NOSUCHSESSION0123456789"));
        assertTrue(e instanceof IllegalArgumentException && e.getMessage().startsWith("No such session"),
                e::toString);
    }

    // ---------------------------------------------------------------- helpers

    private List<StandardSession> written(StoreNode n, int count) {
        List<StandardSession> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StandardSession s = n.newSession(1800);
            s.setAttribute("n", i);
            assertEquals(FlushResult.WRITTEN, n.endRequest(s));
            sessions.add(s);
        }
        return sessions;
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    private static Object getAttribute(StoreNode n, String attribute) throws JMException {
        return server().getAttribute(n.store.getObjectName(), attribute);
    }

    private static Object invoke(StoreNode n, String op, String id) throws JMException {
        return server().invoke(n.store.getObjectName(), op, new Object[] { id }, new String[] { String.class.getName() });
    }

    private static Object invoke(StoreNode n, String op, String after, int max) throws JMException {
        return server().invoke(n.store.getObjectName(), op, new Object[] { after, max },
                new String[] { String.class.getName(), int.class.getName() });
    }

    private static Map<String, String> metadata(StoreNode n, String id) throws JMException {
        Map<String, String> m = new HashMap<>();
        for (String line : (String[]) invoke(n, "sessionMetadata", id)) {
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    @FunctionalInterface
    interface JmxCall {
        Object run() throws JMException;
    }

    /** The exception a JMX client sees as the cause of the call's failure. */
    private static RuntimeException jmxError(JmxCall call) {
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, call::run);
        return e.getTargetException();
    }
}
