package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.file.SharedFileStore;
import io.github.sessionstore.jdbc.JdbcStore;
import io.github.sessionstore.memcached.MemcachedStore;
import io.github.sessionstore.mongodb.MongoStore;
import io.github.sessionstore.redis.RedisStore;

/** Per backend, its {@link Backend.Fixture}: the store configured on it, and the raw-client floor beside it. */
final class BackendFixtures {

    private BackendFixtures() {
    }

    /** How a raw client connects to a server's endpoint. */
    private interface FloorOn {
        Floor open(String endpoint) throws Exception;
    }

    /**
     * A fixture on its backend's server: the run's shared one, else its own ({@link SharedServer#acquire}); its stores
     * and its floor connect to the server's endpoint. Closing it stops the server when it owns it, and deletes
     * {@code work}.
     */
    private static class OnServer implements Backend.Fixture {
        private final Path work;
        final SharedServer server;
        private final Function<String, AbstractSessionStore> store;
        private final FloorOn floor;
        private final String description;

        /** {@code describe}: from the server's description, what runs. */
        OnServer(Backend backend, Path work, Function<String, AbstractSessionStore> store, FloorOn floor,
                UnaryOperator<String> describe) throws Exception {
            this.work = work;
            this.server = SharedServer.acquire(backend);
            this.store = store;
            this.floor = floor;
            this.description = describe.apply(server.description());
        }

        @Override
        public AbstractSessionStore newStore() {
            return store.apply(server.endpoint());
        }

        @Override
        public Floor floor() throws Exception {
            return floor.open(server.endpoint());
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public void close() throws Exception {
            try {
                server.close();
            } finally {
                ServerProcess.deleteTree(work);
            }
        }
    }

    static Backend.Fixture file(Backend backend, Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("file-store"));
        Path floorDir = Files.createDirectories(work.resolve("file-floor"));
        return new Backend.Fixture() {
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

    static Backend.Fixture memcached(Backend backend, Path work) throws Exception {
        return new OnServer(backend, work, endpoint -> {
            MemcachedStore s = new MemcachedStore();
            s.setServers(endpoint);
            return s;
        }, MemcachedFloor::new, server -> "MemcachedStore (binary protocol, one server, no backup) on " + server
                + "; floor: spymemcached set/get/touch of the same bytes (one item, as the store's save;"
                + " the store touches with touch + append of an expiry trailer, one round trip)");
    }

    /** A JdbcStore (default settings, HikariCP pool of 10) on a shared SQL server, and the JDBC floor. */
    static Backend.Fixture jdbc(Backend backend, Path work) throws Exception {
        return new OnServer(backend, work, endpoint -> {
            JdbcStore s = new JdbcStore();
            s.setUrl(endpoint);
            s.setUsername(Databases.USER);
            s.setPassword(Databases.PASSWORD);
            return s;
        }, JdbcFloor::new, server -> "JdbcStore (HikariCP, 10 connections) on " + server + "; floor: one plain JDBC "
                + "connection, hand-written upsert / select / update of the same bytes") {
            @Override
            public AutoCloseable bulkLoading() throws Exception {
                return Databases.bulkLoading(server.endpoint());
            }
        };
    }

    static Backend.Fixture mongo(Backend backend, Path work) throws Exception {
        return new OnServer(backend, work, endpoint -> {
            MongoStore s = new MongoStore();
            s.setUri(endpoint);
            s.setDatabase("bench");
            return s;
        }, MongoFloor::new, server -> "MongoStore on " + server + "; floor: driver replaceOne (upsert) / find / "
                + "updateOne of the same bytes");
    }

    static Backend.Fixture redis(Backend backend, Path work) throws Exception {
        return new OnServer(backend, work, endpoint -> {
            RedisStore s = new RedisStore();
            s.setUri(endpoint);
            return s;
        }, RedisFloor::new, server -> "RedisStore (Lettuce, standalone) on " + server + "; floor: Lettuce SET "
                + "(PXAT) / GET / PEXPIREAT of the same bytes (one key; the store writes a hash and its "
                + "expiry index entry in one EVALSHA)");
    }
}
