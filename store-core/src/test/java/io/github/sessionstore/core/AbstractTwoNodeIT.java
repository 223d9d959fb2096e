package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.RuntimeMBeanException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.sessionstore.core.testkit.SessionAccessor;
import io.github.sessionstore.core.testkit.SessionEvents;
import io.github.sessionstore.core.testkit.TestKeys;
import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * Two embedded Tomcat nodes over one store, configured as a user would (PersistentManager + the store, nothing
 * else), driven over HTTP: failover, round robin, the flush policies and the locking modes; the lifecycle rules come
 * from {@link AbstractLifecycleIT}. A backend module adds a leaf that supplies {@link #newStore()}.
 */
public abstract class AbstractTwoNodeIT extends AbstractLifecycleIT {

    // ---------------------------------------------------------------------------------------------- failover

    /** Node A dies abruptly right after its last response; node B serves every session with its last state. */
    @Test
    void failoverAfterAbruptDeathKeepsEverySessionIntact() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        List<WebUser> users = new ArrayList<>();
        for (int u = 0; u < 30; u++) {
            WebUser user = new WebUser();
            for (int r = 1; r <= 3; r++) {
                assertEquals(r, user.get(a.url("/count")).field("count"));
            }
            assertTrue(user.sessionId().endsWith(".nodeA"), "jvmRoute is part of the id");
            users.add(user);
        }
        a.kill();
        int intact = 0;
        for (WebUser user : users) {
            Reply r = user.get(b.url("/read"));
            assertEquals(200, r.status());
            if (r.field("count") == 3 && r.field("list") == 3) {
                intact++;
            }
        }
        assertEquals(users.size(), intact, "sessions intact on node B after node A died (in-place list included)");
        // and they keep working on B
        assertEquals(4, users.get(0).get(b.url("/count")).field("list"));
    }

    /** Requests alternate between the nodes (nonSticky); every increment, in place or not, survives. */
    @Test
    void roundRobinNonStickyLosesNoIncrement() throws Exception {
        TomcatNode a = nonStickyNode("nodeA");
        TomcatNode b = nonStickyNode("nodeB");
        int users = 10;
        int requests = 12;
        int intact = 0;
        for (int u = 0; u < users; u++) {
            WebUser user = new WebUser();
            Reply last = null;
            for (int r = 0; r < requests; r++) {
                last = user.get((r % 2 == 0 ? a : b).url("/count"));
                assertEquals(200, last.status());
            }
            if (last.field("count") == requests && last.field("list") == requests) {
                intact++;
            }
        }
        assertEquals(users, intact, "sessions with every increment under round robin");
    }

    /** Read-only requests cost no full write: only the first request (creation) writes. */
    @Test
    void readOnlyRequestsDoNotRewriteTheSession() throws Exception {
        TomcatNode a = node("nodeA");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        AbstractSessionStore store = storeOf(a);
        long saves = store.statistics().getSaves();
        for (int i = 0; i < 10; i++) {
            assertEquals(1, user.get(a.url("/read")).field("count"));
        }
        assertEquals(saves, store.statistics().getSaves(), "no full write for read-only requests");
        assertTrue(store.statistics().getSkippedWrites() >= 10);
    }

    /** The async policy gets every change to the store shortly after the response, without the request waiting. */
    @Test
    void asyncPolicyReachesTheStore() throws Exception {
        TomcatNode a = node("nodeA", s -> s.setFlushPolicy("async"), m -> { });
        TomcatNode b = node("nodeB", s -> s.setFlushPolicy("async"), m -> { });
        List<WebUser> users = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            WebUser user = new WebUser();
            for (int r = 0; r < 3; r++) {
                user.get(a.url("/count"));
            }
            users.add(user);
        }
        AbstractSessionStore storeA = storeOf(a);
        for (int i = 0; i < 100 && storeA.statistics().getAsyncQueueDepth() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, storeA.statistics().getAsyncQueueDepth(), "the queue drains");
        a.kill();
        for (WebUser user : users) {
            Reply r = user.get(b.url("/read"));
            assertEquals(3, r.field("count"));
            assertEquals(3, r.field("list"));
        }
    }

    /** Requests matching ignoreUriPattern are not flushed (static resources); the next flushed request catches up. */
    @Test
    void ignoredUrisAreNotFlushed() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count")).field("count"));
        assertEquals(2, user.get(a.url("/style.css")).field("count"));
        AbstractSessionStore storeA = storeOf(a);
        long saves = storeA.statistics().getSaves();
        a.kill();
        assertEquals(1, user.get(b.url("/read")).field("count"), "the .css request was not written");
        assertEquals(1, saves, "only the first request wrote");
    }

    // ---------------------------------------------------------------------------------------------- concurrent nodes

    /**
     * Two requests of one session run at once on two non-sticky nodes, each a read-modify-write of a counter with a
     * pause in the middle. With {@code sameAttribute} both bump one counter, else each node its own. Counts the
     * increments that are missing at the end: the lost updates.
     */
    private int lostUpdates(String lockingMode, boolean sameAttribute, int rounds) throws Exception {
        TomcatNode a = node("nodeA", s -> {
            s.setNonSticky(true);
            s.setLockingMode(lockingMode);
        }, m -> { });
        TomcatNode b = node("nodeB", s -> {
            s.setNonSticky(true);
            s.setLockingMode(lockingMode);
        }, m -> { });
        WebUser first = new WebUser();
        assertEquals(200, first.get(a.url("/bump")).status());
        WebUser second = new WebUser();
        second.sessionId(first.sessionId());
        String attrA = sameAttribute ? "shared" : "a";
        String attrB = sameAttribute ? "shared" : "b";
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int r = 0; r < rounds; r++) {
                var fa = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return first.get(a.url("/bump?pause=150&attr=" + attrA)).status();
                });
                var fb = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return second.get(b.url("/bump?pause=150&attr=" + attrB)).status();
                });
                assertEquals(200, fa.get(30, TimeUnit.SECONDS));
                assertEquals(200, fb.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(first.sessionId(), second.sessionId(), "one session throughout");
        WebUser reader = new WebUser();
        reader.sessionId(first.sessionId());
        Reply end = reader.get(b.url("/bump"));
        int counted = sameAttribute ? Math.max(0, end.field("shared"))
                : Math.max(0, end.field("a")) + Math.max(0, end.field("b"));
        int lost = 2 * rounds - counted;
        System.out.printf("lockingMode=%s sameAttribute=%s rounds=%d lost updates=%d versionConflicts=%d "
                + "attributeConflicts=%d lockWaits=%d%n", lockingMode, sameAttribute, rounds, lost,
                storeOf(a).statistics().getVersionConflicts() + storeOf(b).statistics().getVersionConflicts(),
                storeOf(a).statistics().getAttributeConflicts() + storeOf(b).statistics().getAttributeConflicts(),
                storeOf(a).statistics().getLockWaits() + storeOf(b).statistics().getLockWaits());
        return lost;
    }

    /** Without a locking mode the later write wins: the test itself sees lost updates (it can fail). */
    @Test
    void concurrentWritersLoseUpdatesWithoutLocking() throws Exception {
        assertTrue(lostUpdates("none", false, 6) > 0, "last-writer-wins loses concurrent changes");
    }

    /** Guards the optimistic rebase: changes to different attributes on two nodes at once all survive. */
    @Test
    void optimisticLockingLosesNoUpdateToDifferentAttributes() throws Exception {
        assertEquals(0, lostUpdates("optimistic", false, 6));
    }

    /** The same attribute changed on two nodes at once: the later write wins, and the conflict is counted. */
    @Test
    void optimisticLockingCountsConflictsOnTheSameAttribute() throws Exception {
        lostUpdates("optimistic", true, 4);
        long conflicts = 0;
        for (TomcatNode n : nodes) {
            conflicts += storeOf(n).statistics().getAttributeConflicts();
        }
        assertTrue(conflicts > 0, "same-attribute conflicts are counted");
    }

    /** Guards the cross-node lock: requests of one session take turns, so even one shared counter loses nothing. */
    @ParameterizedTest(name = "sameAttribute={0}")
    @ValueSource(booleans = { false, true })
    void pessimisticLockingLosesNoUpdate(boolean sameAttribute) throws Exception {
        assertEquals(0, lostUpdates("pessimistic", sameAttribute, 5));
        long waits = 0;
        for (TomcatNode n : nodes) {
            waits += storeOf(n).statistics().getLockWaits();
        }
        assertTrue(waits > 0, "the requests did meet at the lock");
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /** Scale-in: a graceful stop of one node keeps the shared sessions and fires no sessionDestroyed. */
    @ParameterizedTest(name = "saveOnRestart={0}")
    @ValueSource(booleans = { false, true })
    void gracefulStopOfOneNodeKeepsSharedSessions(boolean saveOnRestart) throws Exception {
        TomcatNode a = node("nodeA", s -> { }, m -> m.setSaveOnRestart(saveOnRestart));
        TomcatNode b = node("nodeB");
        List<WebUser> users = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            WebUser user = new WebUser();
            user.get(a.url("/count"));
            user.get(a.url("/count"));
            users.add(user);
        }
        var servletContextA = a.context().getServletContext();
        a.tomcat().stop();
        assertEquals(0, SessionEvents.destroyed(servletContextA), "no sessionDestroyed for sessions alive in the store");
        for (WebUser user : users) {
            Reply r = user.get(b.url("/read"));
            assertEquals(2, r.field("count"), "node stop must not delete shared sessions");
            assertEquals(2, r.field("list"));
        }
    }

    /**
     * A session kept alive on B past its timeout is not expired through A's idle copy: A neither deletes it nor fires
     * sessionDestroyed, and A serves it again afterwards.
     */
    @Test
    void staleLocalCopyNeverExpiresALiveSession() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count?ttl=3")).field("count"));
        // keep it alive on B for well over the 3 s timeout while A's copy sits idle
        for (int i = 0; i < 14; i++) {
            assertEquals(1, user.get(b.url("/read")).field("count"), "request " + i + " on B");
            Thread.sleep(500);
        }
        assertEquals(0, SessionEvents.destroyed(a.context().getServletContext()), "A fired no sessionDestroyed");
        assertEquals(0, SessionEvents.destroyed(b.context().getServletContext()));
        assertEquals(2, user.get(a.url("/count")).field("count"), "A serves the live session again");
    }

    /** No resurrection: a session invalidated on B is not served or written back by A's copy. */
    @Test
    void invalidationOnOneNodeIsSeenByTheOther() throws Exception {
        TomcatNode a = nonStickyNode("nodeA");
        TomcatNode b = nonStickyNode("nodeB");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        user.get(a.url("/count"));
        String id = user.sessionId();
        assertEquals(2, user.get(b.url("/read")).field("count"));
        user.get(b.url("/invalidate"));
        user.sessionId(id);
        assertEquals("none", user.get(a.url("/read")).body(), "A must not serve the invalidated session");
        Reply fresh = user.get(a.url("/count"));
        assertEquals(1, fresh.field("count"), "a new session starts from scratch");
        assertNotEquals(id, user.sessionId());
    }

    /** Session fixation protection survives the store: after an id change the old id loads nowhere. */
    @Test
    void sessionIdChangeMovesTheRecord() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        String oldId = user.sessionId();
        Reply rotated = user.get(a.url("/rotate"));
        String newId = user.sessionId();
        assertNotEquals(oldId, newId);
        assertEquals(2, rotated.field("count"));
        assertEquals(2, user.get(b.url("/read")).field("count"), "the new id carries the session");
        WebUser attacker = new WebUser();
        attacker.sessionId(oldId);
        assertEquals("none", attacker.get(b.url("/read")).body(), "the pre-change id loads on no node");
    }

    /** An async request is flushed when its async cycle completes, not when the valve returns. */
    @Test
    void asyncRequestIsFlushedOnCompletion() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/async")).field("count"));
        a.kill();
        // the flush runs on completion, possibly just after the response: allow it a bounded moment
        int count = -1;
        for (int i = 0; i < 40 && count != 1; i++) {
            count = user.get(b.url("/read")).field("count");
            if (count != 1) {
                Thread.sleep(50);
            }
        }
        assertEquals(1, count, "the change made on the async thread reached the store");
    }

    // ---------------------------------------------------------------------------------------------- a user's sessions

    /**
     * The operator ends one user's sessions from node A, over JMX, while node B serves that user: B's next request
     * finds the session gone and gets a new one; another user's session on B goes on. On a backend without the
     * principal index the operation is refused with a message instead.
     */
    @Test
    void expireSessionsOverJmxOnOneNodeEndsTheUsersSessionOnAnother() throws Exception {
        TomcatNode a = node("nodeA", s -> s.setPrincipalAttribute("user"), m -> { });
        TomcatNode b = node("nodeB", s -> s.setPrincipalAttribute("user"), m -> { });
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Object[] alice = { "alice" };
        String[] signature = { String.class.getName() };
        if (!storeOf(a).currentBackend().indexesPrincipals()) {
            RuntimeMBeanException refused = assertThrows(RuntimeMBeanException.class,
                    () -> jmx.invoke(storeOf(a).getObjectName(), "expireSessions", alice, signature));
            assertTrue(refused.getTargetException().getMessage().contains("does not index principals"),
                    refused.getTargetException().getMessage());
            return;
        }
        WebUser user = new WebUser();
        user.get(b.url("/login?user=alice"));
        assertEquals(1, user.get(b.url("/count")).field("count"));
        String before = user.sessionId();
        WebUser other = new WebUser();
        other.get(b.url("/login?user=bob"));
        assertEquals(1, other.get(b.url("/count")).field("count"));

        // A holds no copy: the id without B's jvmRoute; B holds one: its full id
        assertEquals(List.of(SessionKeys.storageKey(before)), List.of((String[]) jmx.invoke(
                storeOf(a).getObjectName(), "findSessionIds", alice, signature)));
        assertEquals(List.of(before), List.of(storeOf(b).statistics().findSessionIds("alice")));
        assertEquals(1, jmx.invoke(storeOf(a).getObjectName(), "expireSessions", alice, signature));

        Reply next = user.get(b.url("/count"));
        assertEquals(1, next.field("count"), "a new session: " + next.body());
        assertNotEquals(before, user.sessionId());
        assertEquals(2, other.get(b.url("/count")).field("count"), "another user's session goes on");
    }

    // ---------------------------------------------------------------------------------------------- sealed records

    /**
     * Rotation order over HTTP: node A still encrypts with k1 but already knows k2, node B encrypts with k2; each
     * serves what the other wrote. A node with other material under the same key id writes into the same store, and
     * A gives that cookie a fresh session (HTTP 200) instead of deserializing it.
     */
    @Test
    void sealedNodesMidRotationShareSessionsAndRefuseAForgedOne() throws Exception {
        String k1 = TestKeys.entry("k1");
        String k2 = TestKeys.entry("k2");
        TomcatNode a = node("nodeA", s -> s.setEncryptionKeys(k1 + "," + k2), m -> { });
        TomcatNode b = node("nodeB", s -> s.setEncryptionKeys(k2 + "," + k1), m -> { });
        TomcatNode forger = node("forger", s -> s.setEncryptionKeys(TestKeys.entry("k1")), m -> { });
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count")).field("count"));
        assertEquals(2, user.get(b.url("/count")).field("count"), "B reads A's k1 record");
        assertEquals(3, user.get(a.url("/count")).field("count"), "A reads B's k2 record");

        WebUser victim = new WebUser();
        assertEquals(1, victim.get(forger.url("/count")).field("count"));
        assertEquals(2, victim.get(forger.url("/count")).field("count"));
        String forged = victim.sessionId();
        // Its key for that id is not A's (the key hashes the id under the first key): a writer who can read the
        // store but not the key would have to copy the record to A's key for the id, which A then refuses
        SessionBackend backend = storeOf(a).currentBackend();
        String forgerKey = storeOf(forger).storageKeys().of(forged);
        String keyOnA = storeOf(a).storageKeys().of(forged);
        assertNotEquals(forgerKey, keyOnA);
        backend.save(keyOnA, backend.load(forgerKey));
        Reply onA = victim.get(a.url("/count"));
        assertEquals(200, onA.status(), onA.body());
        assertEquals(1, onA.field("count"), "a record under a key A does not have is never loaded");
        assertNotEquals(forged, victim.sessionId());
        assertTrue(storeOf(a).statistics().getUnauthenticatedRecords() > 0, "the refusal is counted");
    }

    /** A sealed record with one byte changed in the store reads as absent on the other node: a fresh session. */
    @Test
    void aSealedRecordTamperedWithByOneByteReadsAsAbsent() throws Exception {
        String keys = TestKeys.entry("k1");
        TomcatNode a = node("nodeA", s -> s.setEncryptionKeys(keys), m -> { });
        TomcatNode b = node("nodeB", s -> s.setEncryptionKeys(keys), m -> { });
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        assertEquals(2, user.get(a.url("/count")).field("count"));
        String key = storeOf(a).storageKeys().of(user.sessionId());
        SessionBackend backend = storeOf(a).currentBackend();
        StoredSession r = backend.load(key);
        byte[] data = r.data().clone();
        data[data.length / 2] ^= 0x01;
        backend.save(key, new StoredSession(data, r.version(), r.lastAccessed(), r.maxInactive(), r.expiresAt(),
                r.principal()));
        Reply onB = user.get(b.url("/count"));
        assertEquals(200, onB.status(), onB.body());
        assertEquals(1, onB.field("count"), "the tampered record is not loaded");
        assertTrue(storeOf(b).statistics().getUnauthenticatedRecords() > 0, "the refusal is counted");
    }

    // ---------------------------------------------------------------------------------------------- accessor

    /** Node A as a user configures it for Servlet 6.1's accessor: {@link SessionStoreManager}, expiry left to B. */
    TomcatNode accessorNode(String name) throws Exception {
        return node(name, () -> {
            SessionStoreManager m = new SessionStoreManager();
            m.setProcessExpiresFrequency(1000); // no expiry run here during a test: only the other node's sweep
            return m;
        });
    }

    /**
     * Issue 25: a change made through {@code getAccessor().access(...)} after the request ended (as a WebSocket
     * endpoint or a timer does) is in the store when {@code access} returns, under write-through; node B reads it
     * after A dies. Guards {@link FlushingAccessor}'s flush: without it the change waits for the session's next
     * request on A.
     */
    @Test
    void accessorChangeIsStoredWhenAccessReturns() throws Exception {
        assumeNewestTomcatLine();
        TomcatNode a = accessorNode("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count")).field("count"));
        SessionAccessor.increment(a, user.sessionId());
        a.kill();
        Reply r = user.get(b.url("/read"));
        assertEquals(2, r.field("count"), r.body());
        assertEquals(2, r.field("list"), "the in-place change too");
    }

    /**
     * Issue 25: an accessor that keeps using a session (a WebSocket) keeps it alive fleet-wide past its timeout: node
     * B's sweep does not expire it. Guards the accessor's flush, which moves the stored expiry; without it the store
     * keeps the expiry of the last request and B claims the session.
     */
    @Test
    void accessorKeepsTheSessionAliveFleetWide() throws Exception {
        assumeNewestTomcatLine();
        TomcatNode a = accessorNode("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count?ttl=1")).field("count"));
        long until = System.currentTimeMillis() + 3000; // three timeouts, three sweeps on B
        for (int i = 0; i < 100 && System.currentTimeMillis() < until; i++) {
            SessionAccessor.touch(a, user.sessionId());
            Thread.sleep(200);
        }
        Reply r = user.get(b.url("/read"));
        assertTrue(r.body().startsWith("count=1 "), "alive on B after three timeouts: " + r.body());
    }
}
