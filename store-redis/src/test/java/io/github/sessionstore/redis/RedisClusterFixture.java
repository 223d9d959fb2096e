package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.testkit.ClassFixture;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.RedisServer;

/**
 * A Redis Cluster of three masters, each a {@code redis-server --cluster-enabled yes} on loopback, joined with
 * {@code redis-cli --cluster create}; {@link #withReplica} adds one replica to the master of one hash tag's slot, for
 * failover tests. For a test class: {@code @RegisterExtension static final RedisClusterFixture cluster =
 * RedisClusterFixture.perClass();}.
 */
final class RedisClusterFixture extends ClassFixture {

    private final List<RedisServer> masters = new ArrayList<>();
    private final List<RedisServer> replicas = new ArrayList<>();
    private final int nodeTimeoutMillis;
    private StatefulRedisClusterConnection<String, String> rawConnection;

    private RedisClusterFixture(int nodeTimeoutMillis) {
        this.nodeTimeoutMillis = nodeTimeoutMillis;
    }

    static RedisClusterFixture perClass() {
        return new RedisClusterFixture(5000);
    }

    /**
     * A cluster started now, for a test class that starts it itself.
     *
     * @param nodeTimeoutMillis {@code cluster-node-timeout}: how long a silent master takes to be failed over
     */
    static RedisClusterFixture started(int nodeTimeoutMillis) throws Exception {
        RedisClusterFixture f = new RedisClusterFixture(nodeTimeoutMillis);
        f.beforeAll(null); // closes what it started if the start fails
        return f;
    }

    @Override
    protected void start() throws Exception {
        for (int i = 1; i <= 3; i++) {
            masters.add(own(RedisServer.start("redis-cluster" + i, RedisServer.freePort(), serverArgs())));
        }
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        for (RedisServer s : masters) {
            create.add(s.address());
        }
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String out = masters.get(0).cli(create.toArray(new String[0]));
        assertTrue(out.contains("All 16384 slots covered"), "redis-cli --cluster create: " + out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (RedisServer s : masters) {
            while (!s.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(s.address() + " never reported cluster_state:ok");
                }
                Thread.sleep(100);
            }
        }
        Fixtures.announce("Redis", "Cluster of three masters " + nodes());
    }

    private List<String> serverArgs() {
        return List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Integer.toString(nodeTimeoutMillis), "--appendonly", "no",
                "--repl-diskless-sync-delay", "0");
    }

    /**
     * Adds a replica to the master that serves {@code hashTag}'s slot ({@code redis-cli --cluster add-node
     * --cluster-slave}) and returns once it has synced and every master knows it.
     */
    RedisServer withReplica(String hashTag) throws Exception {
        RedisServer master = masterOf(hashTag);
        RedisServer replica = own(RedisServer.start("redis-cluster-replica" + (replicas.size() + 1),
                RedisServer.freePort(), serverArgs()));
        replicas.add(replica);
        String out = master.cli("--cluster", "add-node", replica.address(), master.address(), "--cluster-slave",
                "--cluster-master-id", master.cli("CLUSTER", "MYID").trim());
        assertTrue(out.contains("[OK]"), "redis-cli --cluster add-node: " + out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!replica.cli("INFO", "replication").contains("master_link_status:up")
                || !allMastersSee(replica)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(replica.address() + " never synced: "
                        + replica.cli("INFO", "replication"));
            }
            Thread.sleep(50);
        }
        return replica;
    }

    private boolean allMastersSee(RedisServer replica) throws Exception {
        for (RedisServer m : masters) {
            if (!m.cli("CLUSTER", "NODES").contains(replica.address() + "@")) {
                return false;
            }
        }
        return true;
    }

    /** The server that serves {@code hashTag}'s slot as master now, as a live master's CLUSTER NODES says. */
    RedisServer masterOf(String hashTag) throws Exception {
        RedisServer asked = null;
        for (RedisServer s : masters) {
            if (s.isAlive()) {
                asked = s;
                break;
            }
        }
        if (asked == null) {
            throw new IllegalStateException("no live master to ask");
        }
        int slot = Integer.parseInt(asked.cli("CLUSTER", "KEYSLOT", hashTag).trim());
        for (String line : asked.cli("CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being migrated
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    for (RedisServer s : all()) {
                        if (s.port() == port) {
                            return s;
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    private List<RedisServer> all() {
        List<RedisServer> a = new ArrayList<>(masters);
        a.addAll(replicas);
        return a;
    }

    /** A store over this cluster (its seeds in {@code clusterNodes}), its keys under {@code keyPrefix}. */
    RedisStore newStore(String keyPrefix) {
        RedisStore store = new RedisStore();
        store.setClusterNodes(nodes());
        store.setKeyPrefix(keyPrefix);
        return store;
    }

    /** The seeds, as {@code clusterNodes} takes them. */
    String nodes() {
        List<String> a = new ArrayList<>();
        for (RedisServer s : masters) {
            a.add(s.address());
        }
        return String.join(" ", a);
    }

    /**
     * A plain String client on the cluster, for tests that look at the keys directly: opened on the first call,
     * closed with the fixture.
     */
    synchronized RedisClusterCommands<String, String> raw() {
        if (rawConnection == null) {
            List<RedisURI> uris = new ArrayList<>();
            for (RedisServer s : masters) {
                uris.add(RedisURI.Builder.redis("127.0.0.1", s.port()).withTimeout(Duration.ofSeconds(5)).build());
            }
            RedisClusterClient client = RedisClusterClient.create(uris);
            own(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(5)));
            rawConnection = own(client.connect());
        }
        return rawConnection.sync();
    }

    @Override
    public synchronized void close() {
        super.close();
        rawConnection = null;
        replicas.clear();
        masters.clear();
    }
}
