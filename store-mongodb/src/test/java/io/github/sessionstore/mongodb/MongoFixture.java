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

import com.mongodb.ConnectionString;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.sessionstore.core.testkit.ClassFixture;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.Images;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The MongoDB a test class runs against, first found wins:
 * <ol>
 * <li>{@code SESSIONSTORE_MONGODB_URI}: a MongoDB the developer or CI provides;</li>
 * <li>Testcontainers {@link Images#MONGO} (a single-node replica set) when Docker is available;</li>
 * <li>{@code mongod} from PATH on a free loopback port;</li>
 * <li>mongo-java-server in this JVM: a wire-protocol stand-in, not MongoDB. It has no TTL monitor, so no test may
 * rely on MongoDB deleting anything by itself. It handles one command at a time (see {@link StandIn}).</li>
 * </ol>
 * For a test class: {@code @RegisterExtension static final MongoFixture mongo = MongoFixture.perClass();}.
 */
final class MongoFixture extends ClassFixture {

    static final String ENV = "SESSIONSTORE_MONGODB_URI";
    /** Tests use their own database, so that a provided MongoDB's other data is never touched. */
    static final String TEST_DATABASE = "sessionstore_test";

    /** For {@link #standIn()}: never a provided, container or local server. */
    private final boolean standInOnly;
    private String uri;
    /** The stand-in, when that is what runs. */
    StandIn standIn;

    private MongoFixture(boolean standInOnly) {
        this.standInOnly = standInOnly;
    }

    static MongoFixture perClass() {
        return new MongoFixture(false);
    }

    /** Always the in-process stand-in ({@link StandIn}), for a test of what only it can show. */
    static MongoFixture standIn() {
        return new MongoFixture(true);
    }

    String uri() {
        return uri;
    }

    /** The password in the URI (a provided MongoDB with authentication), else null: the others do not authenticate. */
    String password() {
        char[] password = new ConnectionString(uri).getPassword();
        return password == null ? null : new String(password);
    }

    /** A store over the test database's {@code collection}. */
    MongoStore newStore(String collection) {
        MongoStore store = new MongoStore();
        store.setUri(uri);
        store.setDatabase(TEST_DATABASE);
        store.setCollection(collection);
        return store;
    }

    @Override
    public synchronized void close() {
        super.close();
        standIn = null;
    }

    @Override
    protected void start() {
        if (standInOnly) { // nothing to fall back to: a failure is the test's
            Fixtures.announce("MongoDB", startStandIn());
            return;
        }
        String what;
        try {
            what = startFirstAvailable();
        } catch (Exception e) {
            throw Fixtures.unavailable("MongoDB", e.toString());
        }
        Fixtures.announce("MongoDB", what);
    }

    /** Sets the URI and what stops the server; returns what it is. */
    private String startFirstAvailable() throws Exception {
        String provided = System.getenv(ENV);
        if (provided != null && !provided.isBlank()) {
            uri = provided.trim();
            return "provided by " + ENV + " (" + MongoStore.mask(uri, null) + ")";
        }
        if (dockerAvailable()) {
            MongoDBContainer container = new MongoDBContainer(Images.MONGO);
            try {
                container.start();
                uri = container.getReplicaSetUrl();
                own(container::stop);
                return "Testcontainers " + Images.MONGO;
            } catch (RuntimeException e) {
                // Docker without access to the image registry: the next option still gives a server
                container.stop();
                System.err.println("[sessionstore-tests] Testcontainers " + Images.MONGO + " did not start: " + e);
            }
        }
        Path mongod = ServerProcess.onPath("mongod");
        if (mongod != null) {
            ServerProcess p = own(ServerProcess.prepare("mongod"));
            Path db = Files.createDirectories(p.workDir().resolve("db"));
            p.start(port -> List.of(mongod.toString(), "--port", Integer.toString(port), "--bind_ip", "127.0.0.1",
                    "--dbpath", db.toString(), "--quiet"), Map.of(), 60);
            uri = "mongodb://127.0.0.1:" + p.port();
            return mongod + " on port " + p.port();
        }
        return startStandIn();
    }

    private String startStandIn() {
        standIn = own(StandIn.start(0));
        uri = "mongodb://127.0.0.1:" + standIn.port();
        return standIn.label();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
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
