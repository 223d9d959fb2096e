package io.github.sessionstore.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.redisson.config.Config;
import org.redisson.tomcat.RedissonSessionManager;

import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * The peers users pick instead of a Store, that are not Tomcat's own: Redisson's Tomcat manager. It supports Tomcat
 * 10.1 (redisson-tomcat-10), so it runs on 10.1, beside a StandardManager ceiling and one of our stores on the same
 * line, and every ratio of it is taken against that ceiling.
 */
final class Peers {

    /** The run's redis-server for Redisson's rows, as {@code 127.0.0.1:PORT}, passed to every node process. */
    static final String REDIS_PROPERTY = "sessionstore.bench.server.redis-peer";

    private Peers() {
    }

    /** Why the Redisson rows cannot run here, or {@code null}. */
    static String redisUnavailable() {
        return ServerProcess.onPath("redis-server") == null
                ? "no redis-server on PATH (Debian package redis-server)" : null;
    }

    /** The 10.1 setups: the ceiling, Redisson, and our store on {@code ours} (when it runs here). */
    static List<ServerSetups.Setup> all(List<Backend> backends) {
        List<ServerSetups.Setup> list = new ArrayList<>();
        list.add(ServerSetups.standard(ServerSetups.Line.TOMCAT_10_1));
        if (redisUnavailable() == null) {
            list.add(redisson());
        }
        Backend ours = backends.contains(Backend.MEMCACHED) ? Backend.MEMCACHED
                : backends.isEmpty() ? null : backends.get(0);
        if (ours != null) {
            list.add(ServerSetups.ours(ours, "write-through", Variant.DEFAULT, ServerSetups.Line.TOMCAT_10_1));
        }
        return list;
    }

    /**
     * {@code redis-server --port P --bind 127.0.0.1 --save "" --appendonly no}: in memory, as memcached; the
     * benchmark never restarts it.
     */
    static SharedServer startRedis() throws Exception {
        Path bin = ServerProcess.onPath("redis-server");
        if (bin == null) {
            throw new IllegalStateException(redisUnavailable());
        }
        String version = Backend.version(bin);
        ServerProcess p = ServerProcess.prepare("redis");
        try {
            p.start(List.of(bin.toString(), "--port", Integer.toString(p.port()), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", p.workDir().toString()), Map.of(), 20);
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
        return new SharedServer("127.0.0.1:" + p.port(), "redis-server", version + " (" + bin
                + " --save \"\" --appendonly no, 127.0.0.1:" + p.port() + ")", p);
    }

    /** Redisson's manager with its safest settings: every read from Redis, every attribute written after each request. */
    static ServerSetups.Setup redisson() {
        return new ServerSetups.Setup() {
            public String name() {
                return "redisson-tomcat10.1";
            }

            public String label() {
                return "peer: Redisson RedissonSessionManager 3.52.0 (redisson-tomcat-10), readMode=REDIS, "
                        + "updateMode=AFTER_REQUEST, on Tomcat 10.1 and redis-server";
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
                config.useSingleServer().setAddress("redis://" + endpoint);
                RedissonSessionManager m = new RedissonSessionManager();
                m.setConfig(config);
                m.setReadMode("REDIS");
                m.setUpdateMode("AFTER_REQUEST");
                s.context().setManager(m);
                return ServerSetups.Counters.NONE;
            }
        };
    }
}
