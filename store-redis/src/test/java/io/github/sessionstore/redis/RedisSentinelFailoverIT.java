package io.github.sessionstore.redis;

import static io.github.sessionstore.redis.RedisFixture.cliOrEmpty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * Sentinel failover under load: one master, one replica and three sentinels ({@code redis-server --sentinel}, quorum
 * 2, master down after 1 s), all launched on loopback. The store's uri names the sentinels only
 * ({@code redis-sentinel://…#mymaster}). The master is SIGKILLed under load and never comes back: the store must
 * follow the replica the sentinels promote, with every request answered 200 and no state lost (the shared outage
 * checks). The test also measures, from the kill, when the sentinels report the new master and when each node's
 * store first answers again (a metadata read through its own connection), and prints the figures.
 */
class RedisSentinelFailoverIT extends AbstractOutageUnderLoadIT {

    static final String MASTER = "mymaster";
    private static final long FOLLOW_LIMIT_MILLIS = 30_000;

    private final String prefix = "f" + UUID.randomUUID().toString().substring(0, 8) + ":";
    /** Class-wide, so that they stop only after the harness has stopped the Tomcat nodes (no reconnect noise). */
    private static final List<RedisServer> servers = new ArrayList<>();
    private static RedisServer master;
    private static RedisServer replica;
    private static final List<RedisServer> sentinels = new ArrayList<>();
    private long killedAt;
    private Thread watcher;
    private volatile long promotedAfter = -1;
    private final long[] followedAfter = { -1, -1 };

    @BeforeAll
    static void startGroup() throws Exception {
        try {
            // No 5 s wait for more replicas before the first sync (Redis 7 default)
            master = add(RedisServer.start("redis-master", RedisServer.freePort(),
                    List.of("--repl-diskless-sync-delay", "0")));
            replica = add(RedisServer.start("redis-replica", RedisServer.freePort(),
                    List.of("--replicaof", "127.0.0.1", Integer.toString(master.port()))));
            awaitReplication();
            for (int i = 1; i <= 3; i++) {
                sentinels.add(add(RedisServer.sentinel("redis-sentinel" + i, RedisServer.freePort(), MASTER,
                        master.port())));
            }
            awaitSentinelsSeeReplica();
        } catch (Exception | Error e) {
            stopGroup();
            throw e;
        }
        Fixtures.announce("Redis", "Sentinel group: master " + master.address() + ", replica " + replica.address()
                + ", sentinels " + sentinelList());
    }

    private static RedisServer add(RedisServer s) {
        servers.add(s);
        return s;
    }

    @AfterEach
    void stopWatcher() throws InterruptedException {
        if (watcher != null) {
            watcher.interrupt();
            watcher.join(5000);
        }
    }

    @AfterAll
    static void stopGroup() {
        for (RedisServer s : servers) {
            s.close();
        }
        servers.clear();
        sentinels.clear();
    }

    private static String sentinelList() {
        List<String> a = new ArrayList<>();
        for (RedisServer s : sentinels) {
            a.add(s.address());
        }
        return String.join(",", a);
    }

    private static void awaitReplication() throws Exception {
        assertTrue(await(20_000, () -> cliOrEmpty(replica, "INFO", "replication").contains("master_link_status:up")),
                "the replica synced with the master: " + cliOrEmpty(replica, "INFO", "replication"));
    }

    private static void awaitSentinelsSeeReplica() throws Exception {
        for (RedisServer s : sentinels) {
            assertTrue(await(20_000, () -> cliOrEmpty(s, "SENTINEL", "replicas", MASTER)
                    .contains(Integer.toString(replica.port()))), s.address() + " found the replica");
            assertTrue(await(20_000, () -> cliOrEmpty(s, "SENTINEL", "sentinels", MASTER).split("\n").length >= 2),
                    s.address() + " found the other sentinels");
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        RedisStore store = new RedisStore();
        store.setUri("redis-sentinel://" + sentinelList() + "/0#" + MASTER);
        store.setKeyPrefix(prefix);
        return store;
    }

    /** Failover takes the sentinels' down-after (1 s) plus the election and promotion: give it room. */
    @Override
    protected long outageMillis() {
        return 6000;
    }

    @Override
    protected void breakStore() throws Exception {
        List<TomcatNode> nodes = loadNodes();
        killedAt = System.nanoTime();
        master.killHard();
        watcher = new Thread(() -> watch(nodes), "sentinel-failover-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Polls every 20 ms, bounded by {@value #FOLLOW_LIMIT_MILLIS} ms, for the promotion and each node's recovery. */
    private void watch(List<TomcatNode> nodes) {
        long deadline = killedAt + TimeUnit.MILLISECONDS.toNanos(FOLLOW_LIMIT_MILLIS);
        String replicaPort = Integer.toString(replica.port());
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            if (promotedAfter < 0 && cliOrEmpty(sentinels.get(0), "SENTINEL", "get-master-addr-by-name", MASTER)
                    .contains(replicaPort)) {
                promotedAfter = sinceKill();
            }
            boolean all = true;
            for (int i = 0; i < nodes.size() && i < followedAfter.length; i++) {
                if (followedAfter[i] < 0) {
                    SessionBackend b = backendOf(nodes.get(i));
                    try {
                        if (b != null) {
                            b.stat("failover-probe");
                            followedAfter[i] = sinceKill();
                        }
                    } catch (IOException | RuntimeException e) {
                        // not yet
                    }
                }
                all &= followedAfter[i] >= 0;
            }
            if (all && promotedAfter >= 0) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long sinceKill() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    }

    @Override
    protected void repairStore() throws Exception {
        watcher.join(FOLLOW_LIMIT_MILLIS + 5000);
        String figures = String.format("[sessionstore-tests] Sentinel failover on Tomcat %s: master SIGKILLed;"
                + " sentinels reported the promoted replica %d ms later; node stores answered again after %d ms and"
                + " %d ms", System.getProperty("sessionstore.tomcat.line", "?"), promotedAfter, followedAfter[0],
                followedAfter[1]);
        System.out.println(figures);
        System.err.println(figures);
        assertTrue(promotedAfter >= 0, "the sentinels promoted the replica");
        assertEquals(Integer.toString(replica.port()),
                cliOrEmpty(sentinels.get(1), "SENTINEL", "get-master-addr-by-name", MASTER).split("\n")[1].trim(),
                "the sentinels agree on the new master");
        assertTrue(followedAfter[0] >= 0 && followedAfter[1] >= 0, "both nodes' stores followed the new master");
        assertTrue(cliOrEmpty(replica, "ROLE").startsWith("master"), "the replica is a master now");
    }
}
