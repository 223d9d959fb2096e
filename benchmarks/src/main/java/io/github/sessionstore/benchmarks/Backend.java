package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.file.SharedFileStore;
import io.github.sessionstore.jdbc.JdbcStore;
import io.github.sessionstore.memcached.MemcachedStore;
import io.github.sessionstore.mongodb.MongoStore;
import io.github.sessionstore.redis.RedisStore;

/**
 * The backends under test, as Caffeine's {@code CacheType}: a JMH {@code @Param} and the list the HTTP comparison
 * iterates. To add one: a constant whose {@link #open} starts (or finds) the server and returns a {@link Fixture} with
 * a store factory and a raw-client {@link Floor}; nothing else changes. A backend with a server process overrides
 * {@link #startServer()}: {@link Compare} then starts it once per run and every fixture shares it
 * ({@link SharedServer}).
 */
public enum Backend {

    FILE {
        @Override
        public Fixture open(Path work) throws IOException {
            Path dir = Files.createDirectories(work.resolve("file-store"));
            Path floorDir = Files.createDirectories(work.resolve("file-floor"));
            return new Fixture() {
                @Override
                public AbstractSessionStore newStore() {
                    SharedFileStore s = new SharedFileStore();
                    s.setDirectory(dir.toString());
                    return s;
                }

                /** 100 000 fsyncs would only measure the disk: the scale run loads its records unforced. */
                @Override
                public AbstractSessionStore newLoaderStore() {
                    SharedFileStore s = (SharedFileStore) newStore();
                    s.setFsync(false);
                    return s;
                }

                @Override
                public Floor floor() {
                    return new FileFloor(floorDir, true);
                }

                @Override
                public String describe() {
                    return "SharedFileStore on a local temp dir (" + dir.getParent() + ", fsync=true); floor: "
                            + "temp file + force + atomic rename of the same bytes";
                }

                @Override
                public void close() {
                    ServerProcess.deleteTree(work);
                }
            };
        }

        @Override
        public String tag() {
            return "fsync=true";
        }
    },

    MEMCACHED {
        @Override
        public String unavailableReason() {
            return ServerProcess.onPath("memcached") == null
                    ? "no memcached binary on PATH (Debian package memcached)" : null;
        }

        /**
         * {@code memcached -l 127.0.0.1 -p PORT -U 0 -m 256 -I 8m}: as store-memcached's test fixture, with 256 MB so
         * the 100 000-session scale run is not evicted.
         */
        @Override
        SharedServer startServer() throws Exception {
            Path bin = ServerProcess.onPath("memcached");
            if (bin == null) {
                throw new IllegalStateException(unavailableReason());
            }
            String version = version(bin);
            ServerProcess p = ServerProcess.prepare("memcached");
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-l", "127.0.0.1", "-p",
                    Integer.toString(p.port()), "-U", "0", "-m", "256", "-I", "8m"));
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("-u", "root"));
            }
            try {
                p.start(cmd, Map.of(), 20);
            } catch (Exception | Error e) {
                p.close();
                throw e;
            }
            return new SharedServer("127.0.0.1:" + p.port(), version,
                    version + " (" + bin + " -m 256 -I 8m, 127.0.0.1:" + p.port() + ")", p);
        }

        @Override
        public Fixture open(Path work) throws Exception {
            SharedServer server = SharedServer.acquire(this);
            return new Fixture() {
                @Override
                public AbstractSessionStore newStore() {
                    MemcachedStore s = new MemcachedStore();
                    s.setServers(server.endpoint());
                    return s;
                }

                @Override
                public Floor floor() throws Exception {
                    return new MemcachedFloor(server.endpoint());
                }

                @Override
                public String describe() {
                    return "MemcachedStore (binary protocol, one server, no backup) on " + server.description()
                            + "; floor: spymemcached set/get/touch of the same bytes (one item, as the store's save;"
                            + " the store touches with touch + append of an expiry trailer, one round trip)";
                }

                @Override
                public void close() throws Exception {
                    try {
                        server.close();
                    } finally {
                        ServerProcess.deleteTree(work);
                    }
                }
            };
        }

        @Override
        public String tag() {
            return "memcached";
        }
    },

    MARIADB {
        @Override
        public String unavailableReason() {
            return Databases.mariadbUnavailable();
        }

        @Override
        SharedServer startServer() throws Exception {
            return Databases.startMariaDb();
        }

        @Override
        public Fixture open(Path work) throws Exception {
            return jdbc(work, SharedServer.acquire(this));
        }

        @Override
        public String tag() {
            return "MariaDB";
        }
    },

    POSTGRESQL {
        @Override
        public String unavailableReason() {
            return Databases.postgresUnavailable();
        }

        @Override
        SharedServer startServer() throws Exception {
            return Databases.startPostgres();
        }

        @Override
        public Fixture open(Path work) throws Exception {
            return jdbc(work, SharedServer.acquire(this));
        }

        @Override
        public String tag() {
            return "PostgreSQL";
        }
    },

    /** No mongod and no Docker here: mongo-java-server in this JVM, a wire-protocol stand-in, tagged as such. */
    MONGODB {
        @Override
        SharedServer startServer() {
            MongoServer server = new MongoServer(new MemoryBackend());
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = server.getLocalAddress().getPort();
            String tag = "mongo-java-server " + standInVersion() + ", in-JVM stand-in, not MongoDB";
            return new SharedServer("mongodb://127.0.0.1:" + port, tag, tag + " (memory backend, 127.0.0.1:" + port
                    + ")", server::shutdownNow);
        }

        @Override
        public Fixture open(Path work) throws Exception {
            SharedServer server = SharedServer.acquire(this);
            return new Fixture() {
                @Override
                public AbstractSessionStore newStore() {
                    MongoStore s = new MongoStore();
                    s.setUri(server.endpoint());
                    s.setDatabase("bench");
                    return s;
                }

                @Override
                public Floor floor() {
                    return new MongoFloor(server.endpoint());
                }

                @Override
                public String describe() {
                    return "MongoStore on " + server.description() + "; floor: driver replaceOne (upsert) / find / "
                            + "updateOne of the same bytes";
                }

                @Override
                public void close() throws Exception {
                    try {
                        server.close();
                    } finally {
                        ServerProcess.deleteTree(work);
                    }
                }
            };
        }

        @Override
        public String tag() {
            return "in-JVM stand-in, not MongoDB";
        }
    },

    REDIS {
        @Override
        public String unavailableReason() {
            return ServerProcess.onPath("redis-server") == null
                    ? "no redis-server binary on PATH (Debian package redis-server)" : null;
        }

        /** {@code redis-server --bind 127.0.0.1 --port PORT --save "" --appendonly no}: no persistence, as the floor. */
        @Override
        SharedServer startServer() throws Exception {
            Path bin = ServerProcess.onPath("redis-server");
            if (bin == null) {
                throw new IllegalStateException(unavailableReason());
            }
            String version = version(bin);
            ServerProcess p = ServerProcess.prepare("redis-server");
            try {
                p.start(redisCommand(bin, p.port(), p.workDir()), Map.of(), 20);
            } catch (Exception | Error e) {
                p.close();
                throw e;
            }
            // "Redis server v=7.0.15 sha=… malloc=… build=…": the tag next to every number keeps the version only
            java.util.regex.Matcher v = java.util.regex.Pattern.compile("v=(\\S+)").matcher(version);
            String tag = v.find() ? "redis-server " + v.group(1) : version;
            return new SharedServer("redis://127.0.0.1:" + p.port() + "/0", tag,
                    version + " (" + bin + ", no persistence, 127.0.0.1:" + p.port() + ")", p);
        }

        @Override
        public Fixture open(Path work) throws Exception {
            SharedServer server = SharedServer.acquire(this);
            return new Fixture() {
                @Override
                public AbstractSessionStore newStore() {
                    RedisStore s = new RedisStore();
                    s.setUri(server.endpoint());
                    return s;
                }

                @Override
                public Floor floor() {
                    return new RedisFloor(server.endpoint());
                }

                @Override
                public String describe() {
                    return "RedisStore (Lettuce, standalone) on " + server.description() + "; floor: Lettuce SET "
                            + "(PXAT) / GET / PEXPIREAT of the same bytes (one key; the store writes a hash and its "
                            + "expiry index entry in one EVALSHA)";
                }

                @Override
                public void close() throws Exception {
                    try {
                        server.close();
                    } finally {
                        ServerProcess.deleteTree(work);
                    }
                }
            };
        }

        @Override
        public String tag() {
            return "redis";
        }
    };

    /**
     * REDIS's server command line: no persistence while it runs; a {@code SHUTDOWN SAVE} still writes its data to
     * {@code dir}, where the same command started again reads it (the soak's server restart).
     */
    static List<String> redisCommand(Path bin, int port, Path dir) {
        return List.of(bin.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no");
    }

    /** A JdbcStore (default settings, HikariCP pool of 10) on a shared SQL server, and the JDBC floor. */
    private static Fixture jdbc(Path work, SharedServer server) {
        return new Fixture() {
            @Override
            public AbstractSessionStore newStore() {
                JdbcStore s = new JdbcStore();
                s.setUrl(server.endpoint());
                s.setUsername(Databases.USER);
                s.setPassword(Databases.PASSWORD);
                return s;
            }

            @Override
            public AutoCloseable bulkLoading() throws Exception {
                return Databases.bulkLoading(server.endpoint());
            }

            @Override
            public Floor floor() throws Exception {
                return new JdbcFloor(server.endpoint());
            }

            @Override
            public String describe() {
                return "JdbcStore (HikariCP, 10 connections) on " + server.description() + "; floor: one plain JDBC "
                        + "connection, hand-written upsert / select / update of the same bytes";
            }

            @Override
            public void close() throws Exception {
                try {
                    server.close();
                } finally {
                    ServerProcess.deleteTree(work);
                }
            }
        };
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


    /** Starts whatever this backend needs under {@code work} (deleted on close). */
    public abstract Fixture open(Path work) throws Exception;

    /**
     * Why this backend cannot run here (e.g. a server binary is missing), or {@code null}. The default run skips such a
     * backend and says so; naming it in {@code --backends} runs it anyway (and fails loudly).
     */
    public String unavailableReason() {
        return null;
    }

    /** The backend's server, to be shared by a whole run, or {@code null} when it has none (files, in-JVM). */
    SharedServer startServer() throws Exception {
        return null;
    }

    /** The short note next to every number of this backend when it has no server (else the server's tag). */
    public String tag() {
        return "";
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

    /** One running backend: a factory for configured, unstarted stores on it, and its raw client. */
    public interface Fixture extends AutoCloseable {

        /** A new store (not started) pointing at this backend; every store from one fixture shares the records. */
        AbstractSessionStore newStore();

        /**
         * A store on the same records for bulk loading in the scale run (default: {@link #newStore()}); only the
         * loading may be cheaper than production settings, never what is measured.
         */
        default AbstractSessionStore newLoaderStore() {
            return newStore();
        }

        /**
         * Server settings for the scale run's bulk load only (e.g. no log flush per commit), undone by the returned
         * closer before anything is measured; default: none.
         */
        default AutoCloseable bulkLoading() throws Exception {
            return () -> {
            };
        }

        Floor floor() throws Exception;

        /** What actually runs: server, version, stand-in or not. Goes into every report row's label. */
        String describe();

        @Override
        void close() throws Exception;
    }
}
