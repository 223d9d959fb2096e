package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.session.ManagerBase;
import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.TestKeys;

/**
 * Sessions of a user, found and ended everywhere: the principal index ({@link StoredSession#principal()}, the
 * backend's {@link SessionBackend#keysOfPrincipal}) and the MBean's {@code findSessionIds} / {@code expireSessions}.
 * On a backend without the index (memcached) the tests that need it are skipped with a message, and
 * {@link #withoutTheIndexBothOperationsRefuseWithAMessage} checks the refusal instead.
 */
public interface PrincipalIndexContract extends FleetFixture {

    String USER = "user";

    private StoreNode byAttribute() throws Exception {
        return byAttribute(s -> { });
    }

    private StoreNode byAttribute(Consumer<AbstractSessionStore> more) throws Exception {
        return node(s -> {
            s.setPrincipalAttribute(USER);
            more.accept(s);
        });
    }

    /** A node whose Manager has persistAuthentication on (set as the Manager adopts the store, before start). */
    private StoreNode byContainer() throws Exception {
        return node(s -> s.addPropertyChangeListener(e -> {
            if ("manager".equals(e.getPropertyName()) && e.getNewValue() instanceof ManagerBase m) {
                m.setPersistAuthentication(true);
            }
        }));
    }

    private static StoreNode indexed(StoreNode n) {
        Assumptions.assumeTrue(n.backend().indexesPrincipals(),
                n.backend().describe() + " keeps no principal index (its refusal is tested instead)");
        return n;
    }

    private static Set<String> idsOf(StoreNode n, String principal) {
        return Set.of(n.store.statistics().findSessionIds(principal));
    }

    private static StoredSession record(StoreNode n, StandardSession s) throws Exception {
        return n.backend().load(n.keyOf(s.getIdInternal()));
    }

    /** A session whose request set the user attribute, written at its end. */
    private static StandardSession withUser(StoreNode n, String user) {
        StandardSession s = n.newSession(600);
        s.setAttribute(USER, user);
        n.endRequest(s);
        return s;
    }

    private static void login(StandardSession s, String name) {
        s.setAuthType("FORM");
        s.setPrincipal(new GenericPrincipal(name, List.of("user")));
    }

    // ------------------------------------------------------------------ what is indexed

    @Test
    default void aSessionWithoutPrincipalHasNoneInItsRecord() throws Exception {
        StoreNode plain = node(s -> { });
        StandardSession s = plain.newSession(600);
        s.setAttribute(USER, "nobody-indexes-me"); // no principalAttribute: not a principal
        plain.endRequest(s);
        assertNull(record(plain, s).principal());
        StoreNode a = byAttribute();
        StandardSession anonymous = a.newSession(600);
        a.endRequest(anonymous);
        assertNull(record(a, anonymous).principal());
    }

    /** Login with persistAuthentication is part of the stored state: it rewrites the record, with the principal. */
    @Test
    default void containerAuthenticationIsIndexedFromLoginToLogout() throws Exception {
        StoreNode a = indexed(byContainer());
        StandardSession s = a.newSession(600);
        a.endRequest(s);
        assertNull(record(a, s).principal());
        login(s, "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s), "a login changes the stored state");
        assertEquals("alice", record(a, s).principal());
        assertEquals(Set.of(s.getIdInternal()), idsOf(a, "alice"));
        s.setPrincipal(null);
        s.setAuthType(null);
        assertEquals(FlushResult.WRITTEN, a.endRequest(s), "a logout changes the stored state");
        assertEquals(Set.of(), idsOf(a, "alice"));
        assertNull(record(a, s).principal());
    }

    @Test
    default void thePrincipalAttributeIsIndexedByNameOrToString() throws Exception {
        StoreNode a = indexed(byAttribute());
        StandardSession bob = withUser(a, "bob");
        StandardSession carol = a.newSession(600);
        carol.setAttribute(USER, new GenericPrincipal("carol", List.of()));
        a.endRequest(carol);
        StandardSession anonymous = a.newSession(600);
        a.endRequest(anonymous);
        assertEquals(Set.of(bob.getIdInternal()), idsOf(a, "bob"));
        assertEquals(Set.of(carol.getIdInternal()), idsOf(a, "carol"));
        assertEquals(Set.of(), idsOf(a, "nobody"));
        bob.removeAttribute(USER); // logout
        a.endRequest(bob);
        assertEquals(Set.of(), idsOf(a, "bob"));
        assertEquals(Set.of(carol.getIdInternal()), idsOf(a, "carol"), "other users untouched");
    }

    @Test
    default void aNameLongerThanTheIndexTakesIsNotIndexed() throws Exception {
        StoreNode a = byAttribute();
        StandardSession s = a.newSession(600);
        s.setAttribute(USER, "x".repeat(PrincipalSource.MAX_NAME_LENGTH + 1));
        assertEquals(FlushResult.WRITTEN, a.endRequest(s), "the session itself is written");
        assertNull(record(a, s).principal());
    }

    @Test
    default void compareAndSetWritesIndexToo() throws Exception {
        StoreNode a = indexed(byAttribute(s -> s.setLockingMode("optimistic")));
        StandardSession s = withUser(a, "olga");
        assertEquals(Set.of(s.getIdInternal()), idsOf(a, "olga"));
    }

    @Test
    default void asyncWritesIndexToo() throws Exception {
        StoreNode a = indexed(byAttribute(s -> s.setFlushPolicy("async")));
        StandardSession s = a.newSession(600);
        s.setAttribute(USER, "anton");
        a.store.flush(s, false, true);
        for (int i = 0; i < 100 && idsOf(a, "anton").isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals(Set.of(s.getIdInternal()), idsOf(a, "anton"));
    }

    // ------------------------------------------------------------------ the index follows the record

    @Test
    default void anIdChangeAtLoginIndexesTheNewIdOnly() throws Exception {
        StoreNode a = indexed(byContainer());
        StandardSession s = a.newSession(600);
        a.endRequest(s);
        String before = s.getIdInternal();
        a.manager.rotateSessionId(s); // what the authenticator does at login
        login(s, "dora");
        a.endRequest(s);
        assertTrue(!before.equals(s.getIdInternal()));
        assertEquals(Set.of(s.getIdInternal()), idsOf(a, "dora"));
        assertNull(a.backend().load(SessionKeys.storageKey(before)), "the old id's record is gone");
    }

    @Test
    default void invalidationDropsTheSessionFromTheIndex() throws Exception {
        StoreNode a = indexed(byAttribute());
        StandardSession s = withUser(a, "dave");
        assertEquals(1, idsOf(a, "dave").size());
        a.invalidateInRequest(s);
        assertEquals(Set.of(), idsOf(a, "dave"));
    }

    @Test
    default void anExpiryClaimDropsTheSessionFromTheIndex() throws Exception {
        Assumptions.assumeTrue(listsSessions(), "the backend expires records by itself");
        StoreNode a = indexed(byAttribute());
        StoreNode b = byAttribute();
        StandardSession s = a.newSession(1);
        s.setAttribute(USER, "emil");
        a.endRequest(s);
        assertEquals(1, idsOf(b, "emil").size());
        for (int i = 0; i < 100 && !idsOf(b, "emil").isEmpty(); i++) {
            Thread.sleep(100);
            b.store.processExpires(); // B holds no copy: its sweep claims the expired record
        }
        assertEquals(Set.of(), idsOf(b, "emil"));
        assertEquals(List.of(s.getIdInternal()), b.destroyedIds, "claimed once, by B");
    }

    @Test
    default void aTouchKeepsThePrincipal() throws Exception {
        StoreNode a = indexed(byAttribute());
        long now = System.currentTimeMillis();
        a.backend().save("TOUCHED", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000, "tess"));
        assertTrue(a.backend().touch("TOUCHED", now + 1000, now + 601_000));
        assertEquals("tess", a.backend().load("TOUCHED").principal());
        assertEquals(List.of("TOUCHED"), a.backend().keysOfPrincipal("tess", 10));
    }

    @Test
    default void anOverwriteMovesTheRecordInTheIndexAndTheLimitHolds() throws Exception {
        SessionBackend b = indexed(byAttribute()).backend();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            b.save("K" + i, new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000, "uwe"));
        }
        b.save("K0", new StoredSession(new byte[] { 2 }, 2, now, 600, now + 600_000, "vera"));
        assertTrue(b.saveIfVersion("K1", new StoredSession(new byte[] { 3 }, 3, now, 600, now + 600_000), 1));
        assertEquals(Set.of("K2", "K3", "K4"), Set.copyOf(b.keysOfPrincipal("uwe", 10)));
        assertEquals(2, b.keysOfPrincipal("uwe", 2).size());
        assertEquals(List.of("K0"), b.keysOfPrincipal("vera", 10));
        assertNull(b.load("K1").principal());
        assertEquals(List.of(), b.keysOfPrincipal("nobody", 10));
    }

    // ------------------------------------------------------------------ ending a user's sessions

    /**
     * Node A ends every session of one user: its own copies expire (sessionDestroyed once each), the records go, a
     * copy node B holds is dropped by B's next request's version check, and another user's session stays.
     */
    @Test
    default void expireSessionsEndsTheUserOnEveryNode() throws Exception {
        StoreNode a = indexed(byAttribute());
        StoreNode b = byAttribute();
        StandardSession first = withUser(a, "erin");
        StandardSession second = withUser(a, "erin");
        StandardSession other = withUser(a, "frank");
        StandardSession onlyOnB = withUser(b, "erin");
        String id = first.getIdInternal();
        assertNotNull(b.manager.findSession(id), "B holds a copy");

        assertEquals(3, a.store.statistics().expireSessions("erin"));

        assertEquals(Set.of(id, second.getIdInternal()), Set.copyOf(a.destroyedIds));
        assertEquals(2, a.destroyed.get(), "sessionDestroyed once per session");
        assertNull(record(a, first));
        assertNull(record(a, second));
        assertEquals(Set.of(), idsOf(b, "erin"));
        assertEquals(Set.of(other.getIdInternal()), idsOf(b, "frank"), "another user's session stays");
        assertNotNull(record(a, other));
        assertNull(record(a, onlyOnB), "a session A does not hold goes too");
        assertTrue(b.store.requestScope().checkCopy(id)); // B's next request of it
        assertNull(b.manager.findSession(id), "B's copy is gone and the store has none");
        assertTrue(b.store.requestScope().checkCopy(onlyOnB.getIdInternal()));
        assertNull(b.manager.findSession(onlyOnB.getIdInternal()));
        assertEquals(0, b.destroyed.get(), "B drops its copies; sessionDestroyed fired on A");
        assertEquals(0, a.store.statistics().expireSessions("erin"));
    }

    /**
     * Guards the ids of a user's sessions where keys hide them: the index holds keyed hashes, and a node without a copy
     * answers with the ids read from the sealed records, which end the sessions as ids do.
     */
    @Test
    default void withKeysTheIndexHoldsNoIdAndStillFindsAndEndsTheUser() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = indexed(byAttribute(s -> s.setEncryptionKeys(keys)));
        StoreNode b = byAttribute(s -> s.setEncryptionKeys(keys));
        StandardSession first = withUser(a, "gina");
        StandardSession second = withUser(a, "gina");
        Set<String> ids = Set.of(first.getIdInternal(), second.getIdInternal());
        for (String key : a.backend().keysOfPrincipal("gina", 10)) {
            assertFalse(ids.stream().anyMatch(key::contains), key);
        }
        assertEquals(ids, idsOf(b, "gina"), "read from the records");
        assertEquals(2, b.store.statistics().expireSessions("gina"));
        assertNull(a.backend().load(a.keyOf(first.getIdInternal())));
        assertNull(a.backend().load(a.keyOf(second.getIdInternal())));
        assertEquals(Set.of(), idsOf(a, "gina"));
    }

    @Test
    default void withoutTheIndexBothOperationsRefuseWithAMessage() throws Exception {
        StoreNode plain = node(s -> { });
        Exception none = assertThrows(UnsupportedOperationException.class,
                () -> plain.store.statistics().findSessionIds("x"));
        assertTrue(none.getMessage().contains("principalAttribute"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plain.store.statistics().expireSessions(""));
        StoreNode a = byAttribute();
        if (!a.backend().indexesPrincipals()) {
            for (Exception e : List.of(
                    assertThrows(UnsupportedOperationException.class, () -> a.store.statistics().findSessionIds("x")),
                    assertThrows(UnsupportedOperationException.class, () -> a.store.statistics().expireSessions("x")))) {
                assertTrue(e.getMessage().contains("does not index principals"), e.getMessage());
            }
        }
    }
}
