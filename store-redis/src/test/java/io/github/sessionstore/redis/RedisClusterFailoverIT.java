package io.github.sessionstore.redis;

import static io.github.sessionstore.redis.RedisFixture.cliOrEmpty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;

/**
 * Redis Cluster failover under load: three masters and one replica of the master that serves the webapp's slot (every
 * key of a namespace shares its hash tag, so that is the master holding all the sessions), launched on loopback with a
 * {@code cluster-node-timeout} of {@value #NODE_TIMEOUT_MILLIS} ms. Under the outage harness's load that master is
 * SIGKILLed; the cluster promotes the replica by itself, and the repair starts the dead server again, which rejoins as
 * the new master's replica. The harness checks that every request is answered 200 and every user's last change is in
 * the store at the end.
 * <p>
 * On top of that, just before and through the kill, one-shot users each create a session with one request and never
 * come back: their write is the only copy of their change besides the node's memory, so a write the master
 * acknowledged and the replica never received is lost for good. {@link WithWait} (waitReplicas=1) must lose none;
 * {@link WithoutWait} only reports how many it lost (often none: on loopback the replica is microseconds behind).
 */
abstract class RedisClusterFailoverIT extends AbstractOutageUnderLoadIT {

    static final int NODE_TIMEOUT_MILLIS = 1000;
    /** The namespace of the harness's webapp: the hash tag of all its keys. */
    static final String TAG = "localhost" + TomcatNode.CONTEXT_PATH;
    private static final long STEP_LIMIT_MILLIS = 20_000;
    private static final int ONE_SHOT_THREADS = 4;

    private static RedisClusterFixture cluster;
    private static RedisServer replica;
    private final String prefix = "cf" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private RedisServer killed;
    private long killedAt;
    private volatile long promotedAfter = -1;
    private long rejoinedAfter = -1;
    private final Map<String, Boolean> oneShots = new ConcurrentHashMap<>();
    private final List<Thread> shooters = new ArrayList<>();
    private volatile boolean stopShooting;
    private Thread watcher;

    /** The store's waitReplicas. */
    protected abstract int waitReplicas();

    @BeforeAll
    static void startCluster() throws Exception {
        // Backend behaviour the Tomcat line does not change: on the newest line only, to keep the build short
        Assumptions.assumeTrue("11".equals(System.getProperty("sessionstore.tomcat.line", "11")),
                "runs on the newest Tomcat line only");
        cluster = RedisClusterFixture.started(NODE_TIMEOUT_MILLIS);
        try {
            replica = cluster.withReplica(TAG);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        Fixtures.announce("Redis", "Cluster " + cluster.nodes() + ", replica " + replica.address() + " of "
                + cluster.masterOf(TAG).address() + " (slot of {" + TAG + "})");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        RedisStore store = cluster.newStore(prefix);
        store.setWaitReplicas(waitReplicas());
        store.setWaitReplicasTimeout(300); // below the harness's operationTimeout
        return store;
    }

    /** The failure detection (the node timeout, then the vote) and the promotion: give them room. */
    @Override
    protected long outageMillis() {
        return 5000;
    }

    /** One-shot users for 0.4 s, then the kill of the slot's master while they still arrive; then they stop. */
    @Override
    protected void breakStore() throws Exception {
        List<TomcatNode> nodes = loadNodes();
        for (int i = 0; i < ONE_SHOT_THREADS; i++) {
            TomcatNode node = nodes.get(i % nodes.size());
            Thread t = new Thread(() -> shoot(node), "one-shot-" + i);
            t.setDaemon(true);
            shooters.add(t);
            t.start();
        }
        Thread.sleep(400);
        killed = cluster.masterOf(TAG);
        killed.killHard();
        killedAt = System.nanoTime();
        watcher = new Thread(this::watchPromotion, "cluster-failover-watch");
        watcher.setDaemon(true);
        watcher.start();
        Thread.sleep(50);
        stopShooting = true;
        for (Thread t : shooters) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
    }

    /** New users, one request each, bounded in count; remembers the sessions answered 200. */
    private void shoot(TomcatNode node) {
        for (int n = 0; n < 2000 && !stopShooting; n++) {
            WebUser user = new WebUser();
            try {
                WebUser.Reply r = user.get(node.url("/count"));
                if (r.status() == 200 && user.sessionId() != null) {
                    oneShots.put(user.sessionId(), Boolean.TRUE);
                }
            } catch (IOException e) {
                // counted by nothing: only answered sessions are checked
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Polls the replica's role every 20 ms, at most {@value #STEP_LIMIT_MILLIS} ms, for when it became master. */
    private void watchPromotion() {
        long deadline = killedAt + TimeUnit.MILLISECONDS.toNanos(STEP_LIMIT_MILLIS);
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            if (role(replica).startsWith("master")) {
                promotedAfter = sinceKill();
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits for the cluster to promote the replica, then starts the dead master again, which rejoins as replica. */
    @Override
    protected void repairStore() throws Exception {
        if (killed == null || killed.isAlive()) {
            return;
        }
        watcher.join(STEP_LIMIT_MILLIS + 5000);
        assertTrue(promotedAfter >= 0, "the cluster promoted the replica: " + role(replica));
        killed.launch();
        assertTrue(await(STEP_LIMIT_MILLIS, () -> role(killed).startsWith("slave")
                && info(killed).contains("master_link_status:up")), "the old master rejoined as a replica: "
                + info(killed));
        rejoinedAfter = sinceKill();
    }

    /** Runs after the harness's checks and before it stops the nodes: the one-shot sessions in the store. */
    @AfterEach
    void countLostOneShots() throws Exception {
        if (watcher != null) {
            watcher.interrupt();
            watcher.join(5000);
        }
        if (killed == null) {
            return;
        }
        SessionBackend backend = backendOf(loadNodes().get(0));
        int lost = 0;
        for (String id : oneShots.keySet()) {
            if (backend.stat(storageKeyOf(id)) == null) {
                lost++;
            }
        }
        String figures = String.format("[sessionstore-tests] cluster failover, waitReplicas=%d, Tomcat %s: slot"
                + " master SIGKILLed, replica promoted %d ms later, old master rejoined as replica after %d ms;"
                + " one-shot sessions answered %d, missing from the store after the failover %d",
                waitReplicas(), System.getProperty("sessionstore.tomcat.line", "?"), promotedAfter, rejoinedAfter,
                oneShots.size(), lost);
        System.out.println(figures);
        System.err.println(figures);
        assertTrue(oneShots.size() > 0, "one-shot users were answered before the kill");
        if (waitReplicas() > 0) {
            assertEquals(0, lost, "no acknowledged one-shot session lost with waitReplicas=" + waitReplicas());
        }
    }

    private long sinceKill() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    }

    private static String role(RedisServer s) {
        return cliOrEmpty(s, "ROLE");
    }

    private static String info(RedisServer s) {
        return cliOrEmpty(s, "INFO", "replication");
    }

    /** waitReplicas=1: a write counts as done only once the replica has it. */
    static class WithWait extends RedisClusterFailoverIT {
        @Override
        protected int waitReplicas() {
            return 1;
        }
    }

    /** waitReplicas=0: the master's answer is enough; what the replica had not received yet is lost. */
    static class WithoutWait extends RedisClusterFailoverIT {
        @Override
        protected int waitReplicas() {
            return 0;
        }
    }
}
