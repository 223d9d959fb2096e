package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.testkit.Fixtures;

/**
 * A Redis Cluster of three masters (no replicas), each a {@code redis-server --cluster-enabled yes} on loopback,
 * joined with {@code redis-cli --cluster create}. Started once per test class and always stopped.
 */
final class RedisClusterFixture implements AutoCloseable {

    private final List<RedisServer> masters = new ArrayList<>();

    private RedisClusterFixture() {
    }

    static RedisClusterFixture start() throws Exception {
        RedisClusterFixture f = new RedisClusterFixture();
        try {
            for (int i = 1; i <= 3; i++) {
                f.masters.add(RedisServer.start("redis-cluster" + i, RedisServer.freePort(), List.of(
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000", "--appendonly", "no")));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            for (RedisServer s : f.masters) {
                create.add(s.address());
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String out = f.masters.get(0).cli(create.toArray(new String[0]));
            assertTrue(out.contains("All 16384 slots covered"), "redis-cli --cluster create: " + out);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (RedisServer s : f.masters) {
                while (!s.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(s.address() + " never reported cluster_state:ok");
                    }
                    Thread.sleep(100);
                }
            }
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
        Fixtures.announce("Redis", "Cluster of three masters " + f.nodes());
        return f;
    }

    /** The seeds, as {@code clusterNodes} takes them. */
    String nodes() {
        List<String> a = new ArrayList<>();
        for (RedisServer s : masters) {
            a.add(s.address());
        }
        return String.join(" ", a);
    }

    List<RedisServer> masters() {
        return List.copyOf(masters);
    }

    @Override
    public void close() {
        for (RedisServer s : masters) {
            s.close();
        }
        masters.clear();
    }
}
