package io.github.sessionstore.mongodb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The MongoDB a test class runs against, first found wins:
 * <ol>
 * <li>{@code SESSIONSTORE_MONGODB_URI}: a MongoDB the developer or CI provides;</li>
 * <li>Testcontainers {@code mongo:7} (a single-node replica set) when Docker is available;</li>
 * <li>{@code mongod} from PATH on a free loopback port;</li>
 * <li>mongo-java-server in this JVM: a wire-protocol stand-in, not MongoDB. It has no TTL monitor, so no test may
 * rely on MongoDB deleting anything by itself. It handles one command at a time (see {@link StandIn}).</li>
 * </ol>
 * Started once per test class and always stopped.
 */
final class MongoFixture implements AutoCloseable {

    static final String ENV = "SESSIONSTORE_MONGODB_URI";
    static final String IMAGE = "mongo:7";
    /** Tests use their own database, so that a provided MongoDB's other data is never touched. */
    static final String TEST_DATABASE = "sessionstore_test";

    private final String uri;
    private final String what;
    private final AutoCloseable stop;

    private MongoFixture(String uri, String what, AutoCloseable stop) {
        this.uri = uri;
        this.what = what;
        this.stop = stop;
    }

    String uri() {
        return uri;
    }

    String what() {
        return what;
    }

    static MongoFixture start() {
        MongoFixture f;
        try {
            f = startFirstAvailable();
        } catch (Exception e) {
            throw Fixtures.unavailable("MongoDB", e.toString());
        }
        Fixtures.announce("MongoDB", f.what);
        return f;
    }

    private static MongoFixture startFirstAvailable() throws Exception {
        String provided = System.getenv(ENV);
        if (provided != null && !provided.isBlank()) {
            return new MongoFixture(provided.trim(), "provided by " + ENV + " (" + MongoStore.mask(provided.trim(),
                    null) + ")", () -> { });
        }
        if (dockerAvailable()) {
            MongoDBContainer container = new MongoDBContainer(IMAGE);
            try {
                container.start();
                return new MongoFixture(container.getReplicaSetUrl(), "Testcontainers " + IMAGE, container::stop);
            } catch (RuntimeException e) {
                // Docker without access to the image registry: the next option still gives a server
                container.stop();
                System.err.println("[sessionstore-tests] Testcontainers " + IMAGE + " did not start: " + e);
            }
        }
        Path mongod = ServerProcess.onPath("mongod");
        if (mongod != null) {
            ServerProcess p = ServerProcess.prepare("mongod");
            try {
                Path db = Files.createDirectories(p.workDir().resolve("db"));
                p.start(List.of(mongod.toString(), "--port", Integer.toString(p.port()), "--bind_ip", "127.0.0.1",
                        "--dbpath", db.toString(), "--quiet"), Map.of(), 60);
            } catch (Exception e) {
                p.close();
                throw e;
            }
            return new MongoFixture("mongodb://127.0.0.1:" + p.port(), mongod + " on port " + p.port(), p);
        }
        StandIn standIn = StandIn.start(0);
        return new MongoFixture("mongodb://127.0.0.1:" + standIn.port(), standIn.label(), standIn);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            stop.close();
        } catch (Exception e) {
            System.err.println("[sessionstore-tests] stopping MongoDB failed: " + e);
        }
    }

    /** mongo-java-server with its in-memory backend on a loopback port (0: any free one). */
    static final class StandIn implements AutoCloseable {
        private final MongoServer server;
        private final int port;

        private StandIn(MongoServer server, int port) {
            this.server = server;
            this.port = port;
        }

        /**
         * The in-memory backend behind a lock, one command at a time: its own handlers are not thread-safe where
         * MongoDB's are (two first writes to a collection may each create it; an index added while a write walks the
         * index list fails that write), and the store creates its indexes from a thread of its own while requests
         * write.
         */
        static StandIn start(int port) {
            de.bwaldvogel.mongo.MongoBackend memory = new MemoryBackend();
            Object lock = new Object();
            de.bwaldvogel.mongo.MongoBackend serial = (de.bwaldvogel.mongo.MongoBackend) Proxy.newProxyInstance(
                    StandIn.class.getClassLoader(), new Class<?>[] { de.bwaldvogel.mongo.MongoBackend.class },
                    (proxy, method, args) -> {
                        synchronized (lock) {
                            try {
                                return method.invoke(memory, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    });
            MongoServer server = new MongoServer(serial);
            server.bind(new InetSocketAddress("127.0.0.1", port));
            return new StandIn(server, server.getLocalAddress().getPort());
        }

        int port() {
            return port;
        }

        String label() {
            return "mongo-java-server " + version() + " (in-JVM stand-in, not MongoDB) on port " + port;
        }

        /** From the jar name: the library's manifest carries no version. */
        static String version() {
            try {
                String jar = MongoServer.class.getProtectionDomain().getCodeSource().getLocation().getPath();
                Matcher m = Pattern.compile("mongo-java-server-core-([^/]+)\\.jar$").matcher(jar);
                return m.find() ? m.group(1) : "(unknown version)";
            } catch (RuntimeException e) {
                return "(unknown version)";
            }
        }

        @Override
        public void close() {
            server.shutdownNow();
        }
    }
}
