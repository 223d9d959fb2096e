package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.sessionstore.core.testkit.MemcachedServer;
import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The servers of memcached, Redis and the MongoDB stand-in, each started for a whole run ({@link Databases} starts the
 * SQL servers); {@link Backend} names which one each backend uses.
 */
final class ServerLaunchers {

    private ServerLaunchers() {
    }

    static String memcachedUnavailable() {
        return ServerProcess.onPath("memcached") == null
                ? "no memcached binary on PATH (Debian package memcached)" : null;
    }

    /**
     * The test kit's memcached ({@code -l 127.0.0.1 -p PORT -U 0 -t 2}), as store-memcached's tests run it, with
     * {@code -m 256 -I 8m} so the 100 000-session scale run is not evicted.
     */
    static SharedServer startMemcached() throws Exception {
        Path bin = ServerProcess.onPath("memcached");
        if (bin == null) {
            throw new IllegalStateException(memcachedUnavailable());
        }
        String version = version(bin);
        ServerProcess p = MemcachedServer.launch(0, "8m", 256);
        return new SharedServer("127.0.0.1:" + p.port(), version,
                version + " (" + bin + " -m 256 -I 8m -t 2, 127.0.0.1:" + p.port() + ")", p);
    }

    /** No mongod and no Docker here: mongo-java-server in this JVM, a wire-protocol stand-in, tagged as such. */
    static SharedServer startMongoStandIn() {
        MongoServer server = new MongoServer(serial(new MemoryBackend()));
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        int port = server.getLocalAddress().getPort();
        String tag = "mongo-java-server " + standInVersion() + ", in-JVM stand-in, not MongoDB";
        return new SharedServer("mongodb://127.0.0.1:" + port, tag, tag + " (memory backend, 127.0.0.1:" + port
                + ")", server::shutdownNow);
    }

    static String redisUnavailable() {
        return ServerProcess.onPath("redis-server") == null
                ? "no redis-server binary on PATH (Debian package redis-server)" : null;
    }

    /**
     * The test kit's redis-server ({@code --bind 127.0.0.1 --port PORT --save ""}) with {@code --appendonly no}: no
     * persistence, as the floor. A {@code SHUTDOWN SAVE} still writes its data to its directory, where
     * {@link RedisServer#launch()} (the same command, port and directory) reads it back: the soak's restart.
     */
    static SharedServer startRedis() throws Exception {
        Path bin = ServerProcess.onPath("redis-server");
        if (bin == null) {
            throw new IllegalStateException(redisUnavailable());
        }
        String version = version(bin);
        RedisServer redis = RedisServer.start("redis-server", RedisServer.freePort(),
                List.of("--appendonly", "no"));
        // "Redis server v=7.0.15 sha=… malloc=… build=…": the tag next to every number keeps the version only
        java.util.regex.Matcher v = java.util.regex.Pattern.compile("v=(\\S+)").matcher(version);
        String tag = v.find() ? "redis-server " + v.group(1) : version;
        return new SharedServer("redis://" + redis.address() + "/0", tag,
                version + " (" + bin + ", no persistence, " + redis.address() + ")", redis);
    }

    /**
     * The stand-in's in-memory backend behind a lock, one command at a time, as store-mongodb's test fixture runs it:
     * its handlers are not thread-safe where MongoDB's are (two first writes to a collection may each create it; an
     * index added while a write walks the index list fails that write), and the store creates its indexes from a
     * thread of its own while the benchmark writes.
     */
    private static de.bwaldvogel.mongo.MongoBackend serial(de.bwaldvogel.mongo.MongoBackend memory) {
        Object lock = new Object();
        return (de.bwaldvogel.mongo.MongoBackend) java.lang.reflect.Proxy.newProxyInstance(
                ServerLaunchers.class.getClassLoader(), new Class<?>[] { de.bwaldvogel.mongo.MongoBackend.class },
                (proxy, method, args) -> {
                    synchronized (lock) {
                        try {
                            return method.invoke(memory, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    /** From the jar name: mongo-java-server's manifest carries no version. */
    private static String standInVersion() {
        try {
            String jar = MongoServer.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("mongo-java-server-core-([^/]+)\\.jar$")
                    .matcher(jar);
            return m.find() ? m.group(1) : "1.47.0";
        } catch (RuntimeException e) {
            return "1.47.0";
        }
    }

    /** The first line of {@code bin -V} / {@code --version}, bounded; the binary's name when it does not answer. */
    static String version(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.toString(), bin.getFileName().toString().equals("memcached") ? "-V"
                    : "--version").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return bin.getFileName().toString();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return out.isEmpty() ? bin.getFileName().toString() : out.lines().findFirst().orElse(out);
        } catch (IOException e) {
            return bin.getFileName().toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return bin.getFileName().toString();
        }
    }
}
