package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The optimistic write on the in-memory reference backend: two nodes hold copies of one session read at the same
 * version, both change it, the second write meets the first. Backend-specific compare-and-set and locks are covered
 * by the contract suite; the same races over HTTP by the two-node suite.
 */
class LockingModesTest {

    private final MemoryStore.Shared shared = new MemoryStore.Shared();
    private final List<StoreNode> nodes = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (StoreNode n : nodes) {
            n.close();
        }
    }

    private StoreNode node(String lockingMode) throws Exception {
        MemoryStore store = new MemoryStore(shared);
        store.setLockingMode(lockingMode);
        StoreNode n = new StoreNode(store, "localhost", "/app");
        nodes.add(n);
        return n;
    }

    /** A session on node A, and node B's copy of the same stored version. */
    private static StandardSession[] twoCopies(StoreNode a, StoreNode b) throws Exception {
        StandardSession onA = a.newSession(600);
        onA.setAttribute("a", 0);
        onA.setAttribute("b", 0);
        onA.setAttribute("list", new ArrayList<>(List.of("x")));
        onA.setAttribute("gone", "soon");
        a.endRequest(onA);
        StandardSession onB = b.load(onA.getId());
        assertNotNull(onB);
        return new StandardSession[] { onA, onB };
    }

    @Test
    void differentAttributesChangedOnTwoNodesBothSurvive() throws Exception {
        StoreNode a = node("optimistic");
        StoreNode b = node("optimistic");
        StandardSession[] s = twoCopies(a, b);
        s[0].setAttribute("a", 1);
        s[0].removeAttribute("gone");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s[0]));

        s[1].setAttribute("b", 1);
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) s[1].getAttribute("list");
        list.add("y"); // in place
        assertEquals(FlushResult.WRITTEN, b.endRequest(s[1]));

        StandardSession stored = node("optimistic").load(s[0].getId());
        assertEquals(1, stored.getAttribute("a"), "node A's change survived node B's later write");
        assertEquals(1, stored.getAttribute("b"));
        assertEquals(List.of("x", "y"), stored.getAttribute("list"), "node B's in-place change");
        assertNull(stored.getAttribute("gone"), "node A's removal survived");
        assertEquals(1, b.metrics().versionConflicts.sum());
        assertEquals(0, b.metrics().attributeConflicts.sum());
        assertEquals(1, s[1].getAttribute("a"), "node B's copy now holds the merged state too");
    }

    @Test
    void sameAttributeChangedOnTwoNodesLaterWriteWinsAndIsCounted() throws Exception {
        StoreNode a = node("optimistic");
        StoreNode b = node("optimistic");
        StandardSession[] s = twoCopies(a, b);
        s[0].setAttribute("a", 10);
        a.endRequest(s[0]);
        s[1].setAttribute("a", 20);
        b.endRequest(s[1]);
        assertEquals(20, node("none").load(s[0].getId()).getAttribute("a"));
        assertEquals(1, b.metrics().attributeConflicts.sum());
    }

    @Test
    void aTimeoutChangedOnOneNodeIsKeptByTheOthersLaterWrite() throws Exception {
        StoreNode a = node("optimistic");
        StoreNode b = node("optimistic");
        StandardSession[] s = twoCopies(a, b);
        s[0].setMaxInactiveInterval(1200);
        a.endRequest(s[0]);
        s[1].setAttribute("b", 5);
        b.endRequest(s[1]);
        StandardSession stored = node("none").load(s[0].getId());
        assertEquals(1200, stored.getMaxInactiveInterval());
        assertEquals(5, stored.getAttribute("b"));
    }

    /** The same race without a locking mode: the earlier write is lost (what the modes exist for). */
    @Test
    void withoutLockingTheLaterWriteReplacesTheEarlierOne() throws Exception {
        StoreNode a = node("none");
        StoreNode b = node("none");
        StandardSession[] s = twoCopies(a, b);
        s[0].setAttribute("a", 1);
        a.endRequest(s[0]);
        s[1].setAttribute("b", 1);
        b.endRequest(s[1]);
        StandardSession stored = node("none").load(s[0].getId());
        assertEquals(0, stored.getAttribute("a"), "node A's change is lost");
        assertEquals(1, stored.getAttribute("b"));
    }

    /** A logout on one node is not undone by a request of the same session that finishes later on another. */
    @Test
    void invalidationElsewhereIsNotUndoneByAConcurrentWrite() throws Exception {
        StoreNode a = node("optimistic");
        StoreNode b = node("optimistic");
        StandardSession[] s = twoCopies(a, b);
        a.invalidateInRequest(s[0]);
        s[1].setAttribute("b", 1);
        assertEquals(FlushResult.SKIPPED, b.endRequest(s[1]));
        assertNull(node("none").load(s[0].getId()), "the invalidated session stays gone");
        assertEquals(1, b.metrics().staleEvictions.sum());
    }

    @Test
    void modeDefaultsToOptimisticForNonStickyAndIsValidated() {
        MemoryStore store = new MemoryStore(shared);
        assertEquals("none", store.getLockingMode());
        store.setNonSticky(true);
        assertEquals("optimistic", store.getLockingMode());
        store.setLockingMode("PESSIMISTIC");
        assertEquals("pessimistic", store.getLockingMode());
        store.setLockingMode("none");
        assertEquals("none", store.getLockingMode(), "an explicit none holds under nonSticky");
        store.setLockingMode("strict");
        store.setLockTimeout(-1);
        store.setLockLease(10);
        assertEquals("none", store.getLockingMode(), "a refused value is not taken");
        String refused = store.refusedSettings();
        assertTrue(refused.contains("[lockingMode]") && refused.contains("[lockTimeout]")
                && refused.contains("[lockLease]"), refused);
        store.setLockTimeout(0);
        store.setLockLease(5000);
        assertEquals(0, store.getLockTimeout());
        assertEquals(5000, store.getLockLease());
    }

    @Test
    void aNewSessionIsCreatedOnlyIfAbsent() throws Exception {
        StoreNode a = node("optimistic");
        StandardSession s = a.newSession(600);
        s.setAttribute("a", 1);
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        assertEquals(0, a.metrics().versionConflicts.sum(), "expected version 0 met an empty store");
        assertTrue(a.backend().load(SessionKeys.storageKey(s.getId())).version() > 0);
    }
}
