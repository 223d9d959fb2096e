package io.github.sessionstore.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * Builds one Lettuce client and connection per backend, with the settings the store's policy needs:
 * <ul>
 * <li>every command and the connect bounded by {@code operationTimeout};</li>
 * <li>commands refused at once while disconnected, and none replayed after a reconnect: a write the core already
 * counted as failed (and queued for its own retry) must never land later, over a newer one;</li>
 * <li>reconnect attempts every 20 ms doubling to at most 1 s (Lettuce's default backs off to 30 s), so the store
 * follows a restarted server or a promoted replica quickly; for Sentinel each reconnect asks the sentinels for the
 * current master; for Cluster the topology is refreshed periodically and on every redirect or reconnect;</li>
 * <li>the client's threads are created with the store's class loader as their context loader, never the webapp's;
 * its event loops are shared by every backend of that loader ({@link SharedResources}).</li>
 * </ul>
 */
final class RedisConnector {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final Duration timeout;
    private final String username;
    private final String password;
    /** The store's maxSessionSize: each backend bounds its reads by it. */
    private final int maxSessionSize;

    /** waitReplicas and waitReplicasTimeout: 0 replicas, every write is its script alone. */
    private final int waitReplicas;
    private final int waitTimeoutMillis;

    RedisConnector(int operationTimeoutMillis, int maxSessionSize, String username, String password,
            int waitReplicas, int waitTimeoutMillis) {
        this.timeout = Duration.ofMillis(operationTimeoutMillis);
        this.maxSessionSize = maxSessionSize;
        this.username = username;
        this.password = password;
        this.waitReplicas = waitReplicas;
        this.waitTimeoutMillis = waitTimeoutMillis;
    }

    /** The record writes: the script alone, or with WAIT on the connection {@code writer} gives (chosen once). */
    private RecordWrite writes(RedisClusterCommands<String, byte[]> routed,
            Supplier<RedisClusterAsyncCommands<String, byte[]>> writer, Runnable onRedirect) {
        return waitReplicas == 0 ? new RecordWrite.Direct(routed)
                : new ReplicaWait(writer, onRedirect, waitReplicas, waitTimeoutMillis, timeout.toMillis());
    }

    private SocketOptions socketOptions() {
        return SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
    }

    /** Sets the timeout and the credentials on {@code u} (a fresh instance of the caller's) and returns it. */
    private RedisURI configured(RedisURI u) {
        u.setTimeout(timeout);
        if (password != null) {
            if (username != null) {
                u.setAuthentication(username, password);
            } else {
                u.setAuthentication(password);
            }
        }
        for (RedisURI sentinel : u.getSentinels()) {
            sentinel.setTimeout(timeout);
        }
        return u;
    }

    /** A single server, or the master a Sentinel group names. */
    RedisBackend standalone(RedisURI uri, RedisKeys keys, long ttlGraceMillis) throws IOException {
        RedisURI u = configured(uri);
        String description = describe(u);
        return withStoreLoader(() -> {
            SharedResources.Lease resources = SharedResources.acquire();
            RedisClient client = RedisClient.create(resources.resources(), u);
            client.setOptions(ClientOptions.builder().socketOptions(socketOptions())
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .replayFilter(command -> true)
                    .build());
            try {
                StatefulRedisConnection<String, byte[]> c = client.connect(CODEC);
                RedisAsyncCommands<String, byte[]> async = c.async();
                return new RedisBackend(c.sync(), writes(c.sync(), () -> async, () -> { }),
                        () -> shutdown(c, client, resources), keys, ttlGraceMillis, maxSessionSize, description);
            } catch (RuntimeException e) {
                shutdown(null, client, resources);
                throw connectFailure(description, e);
            }
        });
    }

    /** Redis Cluster from its seeds. */
    RedisBackend cluster(List<RedisURI> seeds, RedisKeys keys, long ttlGraceMillis) throws IOException {
        List<RedisURI> uris = new ArrayList<>();
        for (RedisURI s : seeds) {
            uris.add(configured(s));
        }
        String description = "redis-cluster:" + uris.stream().map(u -> u.getHost() + ":" + u.getPort())
                .collect(Collectors.joining(",")) + " " + keys.index;
        return withStoreLoader(() -> {
            SharedResources.Lease resources = SharedResources.acquire();
            RedisClusterClient client = RedisClusterClient.create(resources.resources(), uris);
            ClusterClientOptions.Builder options = ClusterClientOptions.builder();
            options.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(Duration.ofSeconds(10))
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                    .build());
            options.socketOptions(socketOptions());
            options.timeoutOptions(TimeoutOptions.enabled(timeout));
            options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            options.replayFilter(command -> true);
            client.setOptions(options.build());
            try {
                StatefulRedisClusterConnection<String, byte[]> c = client.connect(CODEC);
                c.setTimeout(timeout);
                // The per-node connections open lazily, and commands are refused while a connection is not up: open
                // the masters' now, so that the first commands do not meet connections still being opened
                for (RedisClusterNode node : c.getPartitions()) {
                    if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                        c.getConnection(node.getNodeId());
                    }
                }
                warmUp(c, keys);
                int slot = SlotHash.getSlot(keys.index);
                return new RedisBackend(c.sync(), writes(c.sync(), () -> slotMaster(c, slot),
                        client::refreshPartitionsAsync), () -> shutdown(c, client, resources), keys, ttlGraceMillis,
                        maxSessionSize, description);
            } catch (RuntimeException e) {
                shutdown(null, client, resources);
                throw connectFailure(description, e);
            }
        });
    }

    /**
     * Routes one command to the namespace's slot until it is answered (bounded by the operation timeout), so that the
     * connection to the slot's master is open before the store's first real command: the cluster client opens it
     * lazily on the first command, and refuses that command while it is being opened.
     */
    private void warmUp(StatefulRedisClusterConnection<String, byte[]> c, RedisKeys keys) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                c.sync().exists(keys.index);
                return;
            } catch (RedisException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisException("interrupted while connecting");
            }
        }
    }

    /**
     * The connection to the master of {@code slot} as the client's topology has it: the one its own routing writes
     * that slot's commands on (both are keyed by the master's host and port).
     */
    private static RedisClusterAsyncCommands<String, byte[]> slotMaster(
            StatefulRedisClusterConnection<String, byte[]> c, int slot) {
        RedisClusterNode master = c.getPartitions().getMasterBySlot(slot);
        if (master == null) {
            throw new RedisException("no master serves the namespace's slot " + slot);
        }
        return c.getConnection(master.getUri().getHost(), master.getUri().getPort()).async();
    }

    /** Host, port, database or Sentinel master: never the user name or password. */
    static String describe(RedisURI u) {
        if (!u.getSentinels().isEmpty()) {
            return "redis-sentinel:" + u.getSentinelMasterId() + "@" + u.getSentinels().stream()
                    .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(",")) + "/"
                    + u.getDatabase();
        }
        return (u.isSsl() ? "rediss:" : "redis:") + u.getHost() + ":" + u.getPort() + "/" + u.getDatabase();
    }

    private static IOException connectFailure(String description, RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new IOException("cannot connect to Redis " + description + ": " + cause.getClass().getSimpleName()
                + ": " + cause.getMessage(), e);
    }

    private static void shutdown(AutoCloseable connection, io.lettuce.core.AbstractRedisClient client,
            SharedResources.Lease resources) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (Exception | Error ignore) {
            // the client's shutdown closes it too
        } finally {
            try {
                client.shutdown(Duration.ZERO, SharedResources.SHUTDOWN_TIMEOUT);
            } catch (RedisException ignore) {
                // released below regardless
            } finally {
                resources.close();
            }
        }
    }

    @FunctionalInterface
    private interface Build<T> {
        T run() throws IOException;
    }

    private static <T> T withStoreLoader(Build<T> build) throws IOException {
        Thread current = Thread.currentThread();
        ClassLoader webapp = current.getContextClassLoader();
        current.setContextClassLoader(RedisConnector.class.getClassLoader());
        try {
            return build.run();
        } finally {
            current.setContextClassLoader(webapp);
        }
    }
}
