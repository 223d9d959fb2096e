package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.session.PersistentManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * The network between the Tomcats and MongoDB is cut (every connection dropped, new ones refused) and restored while
 * users keep working on node A: every request is answered, nothing changed during the outage is lost, and an
 * invalidation made during the outage holds. MongoDB keeps its data throughout, as it would in a partition; the
 * driver must drop its broken pooled connections and find the server again on its own.
 * <p>
 * Runs on the in-JVM stand-in behind a {@link TcpProxy}: a provided replica set would be reached by its members'
 * own addresses, past the proxy.
 */
class MongoOutageIT {

    private MongoFixture.StandIn mongo;
    private TcpProxy network;
    private final List<TomcatNode> nodes = new ArrayList<>();

    @BeforeEach
    void startMongo() throws Exception {
        mongo = MongoFixture.StandIn.start(0);
        network = new TcpProxy(ServerProcess.freePort(), mongo.port());
        Fixtures.announce("MongoDB", mongo.label() + ", behind a TCP proxy on port " + network.port());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (TomcatNode n : nodes) {
                n.close();
            }
        } finally {
            network.close();
            mongo.close();
        }
    }

    private TomcatNode node(String name) throws Exception {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://127.0.0.1:" + network.port() + "/?directConnection=true");
        store.setDatabase(MongoFixture.TEST_DATABASE);
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
    void networkOutageLosesNothingAndResurrectsNothing() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        AbstractSessionStore storeA = (AbstractSessionStore) ((PersistentManager) a.context().getManager()).getStore();

        List<WebUser> users = new ArrayList<>();
        for (int u = 0; u < 6; u++) {
            WebUser user = new WebUser();
            user.get(a.url("/count"));
            user.get(a.url("/count"));
            users.add(user);
        }
        WebUser leaving = users.remove(users.size() - 1);

        network.cut();
        for (WebUser user : users) {
            for (int r = 3; r <= 4; r++) {
                Reply reply = user.get(a.url("/count"));
                assertEquals(200, reply.status(), "served during the outage");
                assertEquals(r, reply.field("count"));
            }
        }
        assertEquals(200, leaving.get(a.url("/invalidate")).status());
        assertTrue(storeA.statistics().isCircuitOpen(), "repeated failures opened the circuit");
        assertEquals(users.size(), storeA.statistics().getUnflushedSessions(), "changed sessions are held for retry");
        assertEquals(1, storeA.statistics().getPendingDeletes());

        // recovery, with no further request to node A
        network.restore();
        for (int i = 0; i < 150 && (storeA.statistics().getUnflushedSessions() > 0 || storeA.statistics().getPendingDeletes() > 0); i++) {
            Thread.sleep(100);
        }
        assertFalse(storeA.statistics().isCircuitOpen(), "the probe closed the circuit");
        assertEquals(0, storeA.statistics().getUnflushedSessions());
        assertEquals(0, storeA.statistics().getPendingDeletes());

        a.kill();
        for (WebUser user : users) {
            Reply reply = user.get(b.url("/read"));
            assertEquals(4, reply.field("count"), "changes made during the outage reached MongoDB");
            assertEquals(4, reply.field("list"));
        }
        assertEquals("none", leaving.get(b.url("/read")).body(), "the invalidation made during the outage holds");
    }
}
