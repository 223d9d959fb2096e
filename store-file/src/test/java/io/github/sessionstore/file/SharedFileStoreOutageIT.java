package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.session.PersistentManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * The shared directory goes away (a regular file takes its place, so even root cannot write) and comes back while
 * users keep working on node A: every request is answered, nothing changed during the outage is lost, and an
 * invalidation made during the outage is not undone when the store returns.
 */
class SharedFileStoreOutageIT {

    @TempDir
    Path tmp;

    private final List<TomcatNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (TomcatNode n : nodes) {
            n.close();
        }
    }

    private TomcatNode node(String name, Path dir) throws Exception {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(dir.toString());
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
    void directoryOutageLosesNothingAndResurrectsNothing() throws Exception {
        Path dir = tmp.resolve("sessions");
        Path parked = tmp.resolve("sessions.parked");
        TomcatNode a = node("nodeA", dir);
        TomcatNode b = node("nodeB", dir);
        AbstractSessionStore storeA = (AbstractSessionStore) ((PersistentManager) a.context().getManager()).getStore();

        List<WebUser> users = new ArrayList<>();
        for (int u = 0; u < 8; u++) {
            WebUser user = new WebUser();
            user.get(a.url("/count"));
            user.get(a.url("/count"));
            users.add(user);
        }
        WebUser leaving = users.remove(users.size() - 1);

        // outage
        Files.move(dir, parked);
        Files.writeString(dir, "not a directory");
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
        Files.delete(dir);
        Files.move(parked, dir);
        for (int i = 0; i < 100 && (storeA.statistics().getUnflushedSessions() > 0 || storeA.statistics().getPendingDeletes() > 0); i++) {
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
