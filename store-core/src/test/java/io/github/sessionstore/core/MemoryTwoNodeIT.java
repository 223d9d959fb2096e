package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.SessionAccessor;
import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/** The two-node Tomcat suite on the in-memory reference backend: the policy over HTTP without a server. */
class MemoryTwoNodeIT extends AbstractTwoNodeIT {

    private final MemoryStore.Shared shared = new MemoryStore.Shared();

    @Override
    protected AbstractSessionStore newStore() {
        return new MemoryStore(shared);
    }

    /**
     * Issue 25, with the stock PersistentManager (no accessor hook): a change made through the accessor, and the
     * expiry its accesses move, reach the store within the background tick (backgroundProcessorDelay, 1 s here), so
     * node B neither misses the change nor expires the session. Guards {@link AccessCatchUp}: without it the change
     * waits for A's next request and B's sweep claims the session after its timeout. Policy only: one backend.
     */
    @Test
    void stockManagerCatchesUpWithAccessorWithinTheBackgroundTick() throws Exception {
        assumeNewestTomcatLine();
        TomcatNode a = node("nodeA", s -> { }, m -> m.setProcessExpiresFrequency(1000)); // only B sweeps
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count?ttl=2")).field("count"));
        SessionAccessor.increment(a, user.sessionId());
        long until = System.currentTimeMillis() + 4500; // two timeouts, four sweeps on B
        for (int i = 0; i < 100 && System.currentTimeMillis() < until; i++) {
            SessionAccessor.touch(a, user.sessionId());
            Thread.sleep(200);
        }
        a.kill();
        Reply r = user.get(b.url("/read"));
        assertEquals(2, r.field("count"), "changed through the accessor, alive on B: " + r.body());
    }

    /**
     * {@link SessionStoreManager} is PersistentManager plus the accessor hook, on both Tomcat lines (10.1 has no
     * accessor: its sessions must still load there): sessions are written at request end and fail over to B.
     */
    @Test
    void sessionStoreManagerServesAsPersistentManager() throws Exception {
        TomcatNode a = node("nodeA", SessionStoreManager::new);
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        assertEquals(2, user.get(a.url("/count")).field("count"));
        assertTrue(a.context().getManager() instanceof SessionStoreManager);
        a.kill();
        assertEquals(3, user.get(b.url("/count")).field("list"));
    }

    /**
     * Issue 25: an access through the accessor on node A, whose copy is older than what node B stored since, works on
     * B's state and keeps B's change. Guards the version check before the access ({@link RequestScope#access}):
     * without it A changes its own older copy and overwrites B's change.
     */
    @Test
    void accessorOnAStaleCopyWorksOnTheStoredState() throws Exception {
        assumeNewestTomcatLine();
        TomcatNode a = accessorNode("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count")).field("count"));
        assertEquals(2, user.get(b.url("/count")).field("count"));
        SessionAccessor.increment(a, user.sessionId());
        Reply r = user.get(b.url("/read"));
        assertEquals(3, r.field("count"), "B's change kept: " + r.body());
        assertEquals(3, r.field("list"), "B's in-place change kept: " + r.body());
    }
}
