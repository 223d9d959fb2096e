package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.redisson.config.Config;
import org.redisson.tomcat.RedissonSessionManager;

import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * The peers users pick instead of a Store, that are not Tomcat's own: Redisson's Tomcat manager. It supports Tomcat
 * 10.1 (redisson-tomcat-10), so it runs on 10.1, beside a StandardManager ceiling and one of our stores on the same
 * line, and every ratio of it is taken against that ceiling.
 */
final class Peers {

    /** The run's redis-server for Redisson's rows, as {@code redis://host:port/0}, passed to every node process. */
    static final String REDIS_PROPERTY = "sessionstore.bench.server.redis-peer";

    private Peers() {
    }

    /** Why the Redisson rows cannot run here, or {@code null}. */
    static String redisUnavailable() {
        return Backend.REDIS.unavailableReason();
    }

    /** The headline's 10.1 setups: Redisson and its ceiling (ours on 10.1 is in the quick and full modes). */
    static List<ServerSetups.Setup> headline() {
        List<ServerSetups.Setup> list = new ArrayList<>();
        if (redisUnavailable() == null) {
            list.add(ServerSetups.standard(ServerSetups.Line.TOMCAT_10_1));
            list.add(redisson());
        }
        return list;
    }

    /** The 10.1 setups: the ceiling, Redisson in both its modes, and one of our stores (REDIS when it runs here). */
    static List<ServerSetups.Setup> all(List<Backend> backends) {
        List<ServerSetups.Setup> list = new ArrayList<>();
        list.add(ServerSetups.standard(ServerSetups.Line.TOMCAT_10_1));
        if (redisUnavailable() == null) {
            list.add(redisson());
            list.add(redissonMemory());
        }
        // Beside Redisson, ours on the same redis-server when it runs
        Backend ours = backends.contains(Backend.REDIS) ? Backend.REDIS
                : backends.contains(Backend.MEMCACHED) ? Backend.MEMCACHED : backends.isEmpty() ? null : backends.get(0);
        if (ours != null) {
            list.add(ServerSetups.ours(ours, "write-through", Variant.DEFAULT, ServerSetups.Line.TOMCAT_10_1));
        }
        return list;
    }

    /**
     * The run's redis-server for Redisson: the REDIS backend's when it runs, else one started for the peer alone (in
     * memory, as the REDIS backend's; the benchmark never restarts it). Its endpoint, {@code redis://host:port/0},
     * goes to the nodes as {@link #REDIS_PROPERTY}.
     */
    static SharedServer redis() throws Exception {
        return SharedServer.acquire(Backend.REDIS);
    }

    /** Redisson's manager with its safest settings: every read from Redis, every attribute written after each request. */
    static ServerSetups.Setup redisson() {
        return redisson(false);
    }

    /**
     * Redisson's other mode, faster and weaker: each node keeps its sessions in memory and reads Redis only for a
     * session it does not hold; every change is written after the request and broadcast to the other nodes.
     */
    static ServerSetups.Setup redissonMemory() {
        return redisson(true);
    }

    private static ServerSetups.Setup redisson(boolean memory) {
        return new ServerSetups.Setup() {
            public String name() {
                return memory ? "redisson-memory-tomcat10.1" : "redisson-tomcat10.1";
            }

            public String label() {
                return "peer: Redisson RedissonSessionManager 3.52.0 (redisson-tomcat-10), readMode="
                        + (memory ? "MEMORY, broadcastSessionUpdates=true" : "REDIS")
                        + ", updateMode=AFTER_REQUEST, on Tomcat 10.1 and redis-server";
            }

            public ServerSetups.Line line() {
                return ServerSetups.Line.TOMCAT_10_1;
            }

            public ServerSetups.Counters configure(int node, ServerSetups.Shared shared, TomcatNode.Setup s) {
                String endpoint = System.getProperty(REDIS_PROPERTY);
                if (endpoint == null || endpoint.isEmpty()) {
                    throw new IllegalStateException("no redis-server for Redisson: " + REDIS_PROPERTY + " is not set");
                }
                Config config = new Config();
                // Redisson's address is redis://host:port; the database index is set apart
                java.net.URI uri = java.net.URI.create(endpoint);
                config.useSingleServer().setAddress("redis://" + uri.getHost() + ":" + uri.getPort());
                RedissonSessionManager m = new RedissonSessionManager();
                m.setConfig(config);
                m.setReadMode(memory ? "MEMORY" : "REDIS");
                m.setUpdateMode("AFTER_REQUEST");
                m.setBroadcastSessionUpdates(memory);
                s.context().setManager(m);
                return ServerSetups.Counters.NONE;
            }
        };
    }
}
