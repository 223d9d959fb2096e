package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.session.PersistentManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * The store goes away and comes back while users keep working on node A, one request at a time: every request is
 * answered, nothing changed during the outage is lost, and an invalidation made during the outage is not undone when
 * the store returns. A leaf supplies the store and the two hooks {@link #cut()} / {@link #restore()}; the backend's
 * data stays throughout (a partition, a directory taken away), so what node A held for retry must reach it.
 */
public abstract class AbstractOutageIT {

    /** A store over the backend, one per node; the scenario sets its probe interval and operation timeout. */
    protected abstract AbstractSessionStore newStore() throws Exception;

    /** Makes the backend unreachable for the nodes; its data stays. */
    protected abstract void cut() throws Exception;

    /** Makes it reachable again, with the data it had. */
    protected abstract void restore() throws Exception;

    /** How many users work through the outage (one of them invalidates its session during it). */
    protected int users() {
        return 6;
    }

    private final List<TomcatNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (TomcatNode n : nodes) {
            n.close();
        }
    }

    private TomcatNode node(String name) throws Exception {
        AbstractSessionStore store = newStore();
        store.setProbeInterval(200);
        store.setOperationTimeout(1000);
        TomcatNode n = TomcatNode.start(name, setup -> {
            PersistentManager pm = new PersistentManager();
            pm.setStore(store);
            setup.context().setManager(pm);
        });
        nodes.add(n);
        return n;
    }

    @Test
    void outageLosesNothingAndResurrectsNothing() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        AbstractSessionStore storeA = (AbstractSessionStore) ((PersistentManager) a.context().getManager()).getStore();

        List<WebUser> users = new ArrayList<>();
        for (int u = 0; u < users(); u++) {
            WebUser user = new WebUser();
            user.get(a.url("/count"));
            user.get(a.url("/count"));
            users.add(user);
        }
        WebUser leaving = users.remove(users.size() - 1);

        cut();
        for (WebUser user : users) {
            for (int r = 3; r <= 4; r++) {
                Reply reply = user.get(a.url("/count"));
                assertEquals(200, reply.status(), "served during the outage");
                assertEquals(r, reply.field("count"));
            }
        }
        assertEquals(200, leaving.get(a.url("/invalidate")).status());
        assertTrue(storeA.statistics().isCircuitOpen(), "repeated failures opened the circuit");
        assertTrue(storeA.statistics().getFastFails() > 0, "later calls failed fast");
        assertEquals(users.size(), storeA.statistics().getUnflushedSessions(), "changed sessions are held for retry");
        assertEquals(1, storeA.statistics().getPendingDeletes());

        // recovery, with no further request to node A
        restore();
        for (int i = 0; i < 150 && (storeA.statistics().getUnflushedSessions() > 0
                || storeA.statistics().getPendingDeletes() > 0); i++) {
            Thread.sleep(100);
        }
        assertFalse(storeA.statistics().isCircuitOpen(), "the probe closed the circuit");
        assertEquals(0, storeA.statistics().getUnflushedSessions());
        assertEquals(0, storeA.statistics().getPendingDeletes());

        a.kill();
        for (WebUser user : users) {
            Reply reply = user.get(b.url("/read"));
            assertEquals(4, reply.field("count"), "changes made during the outage reached the store");
            assertEquals(4, reply.field("list"));
        }
        assertEquals("none", leaving.get(b.url("/read")).body(), "the invalidation made during the outage holds");
    }
}
