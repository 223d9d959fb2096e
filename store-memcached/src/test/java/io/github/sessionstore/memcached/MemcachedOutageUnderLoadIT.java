package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * One of two memcached servers is SIGKILLed under load and restarted on the same port, with the store's backup
 * configuration (each session written to its primary server and to the next one on the ring). memcached keeps
 * nothing on disk: the restarted server comes back empty.
 * <p>
 * "In the store" means here: readable through the store's own read path, which asks the session's primary server and
 * falls back to its backup copy (and re-primes a primary that came back empty). A session whose primary died is in
 * the store as long as its backup copy holds its last state; the test does not require the restarted server to hold
 * copies again. The killed server is the one holding the primary copies of most of the sessions whose users leave
 * during the outage, so the backup path is what keeps their last state readable, while it is still down (checked
 * through a fresh node before the restart) and after the restart.
 */
class MemcachedOutageUnderLoadIT extends AbstractOutageUnderLoadIT {

    @RegisterExtension
    static final MemcachedFixture servers = MemcachedFixture.localNodes(2);
    private static final String PREFIX = "l" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private int killed = -1;

    @Override
    protected AbstractSessionStore newStore() {
        return servers.newStore(PREFIX); // backup: on by default with more than one server
    }

    @Override
    protected boolean storeStaysAvailable() {
        return true;
    }

    private static MemcachedBackend backend(TomcatNode node) {
        return (MemcachedBackend) backendOf(node);
    }

    @Override
    protected void breakStore() throws Exception {
        MemcachedBackend b = backend(loadNodes().get(0));
        int[] primaries = new int[2];
        for (String id : leavingSessionIds()) {
            String address = b.primaryAddress(storageKeyOf(id));
            primaries[address.endsWith(":" + servers.nodes.get(0).port()) ? 0 : 1]++;
        }
        killed = primaries[0] >= primaries[1] ? 0 : 1;
        assertTrue(primaries[killed] > 0, "a leaving session has its primary copy on the server to kill");
        servers.nodes.get(killed).killHard();
        for (TomcatNode n : loadNodes()) {
            assertTrue(await(5000, () -> backend(n).connectedNodes() == 1),
                    n.name() + " saw the memcached server go away");
        }
    }

    @Override
    protected void repairStore() throws Exception {
        if (killed < 0) {
            return;
        }
        for (TomcatNode n : loadNodes()) {
            assertTrue(backend(n).connectedNodes() == 1, n.name() + ": the server was still down until now");
        }
        // Empty, on the same port for the clients (the new process also listens on a fresh port of its own)
        servers.launch(servers.nodes.get(killed).port());
        killed = -1;
        for (TomcatNode n : loadNodes()) {
            // spymemcached reconnects with a back-off of up to Node.RECONNECT_DELAY_SECONDS
            assertTrue(await(15_000, () -> backend(n).connectedNodes() == 2),
                    n.name() + " reconnected to the restarted server");
        }
    }
}
