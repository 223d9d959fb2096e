package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;

import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.ha.session.DeltaManager;
import javax.sql.DataSource;

import org.apache.catalina.session.DataSourceStore;
import org.apache.catalina.session.FileStore;
import org.apache.catalina.session.PersistentManager;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.valves.PersistentValve;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * The session setups the HTTP comparison runs, each on two embedded Tomcats in their own JVMs ({@link NodeMain}):
 * Tomcat's own managers as ceiling and peers, and our Store on every {@link Backend}. {@link Peers} adds the peers
 * that are not Tomcat's.
 */
final class ServerSetups {

    private ServerSetups() {
    }

    /** The Tomcat a setup's nodes run on: this jar's embedded 11, or 10.1 (Redisson's manager needs it). */
    enum Line {
        TOMCAT_11("11"), TOMCAT_10_1("10.1");

        final String prefix;

        Line(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Whose a setup is: the no-HA ceiling, ours, or a peer users would pick instead of ours. */
    enum Kind {
        CEILING, OURS, PEER
    }

    /** What the two nodes of one pair share (a directory, ports), as properties each node process gets. */
    record Shared(Map<String, String> properties, AutoCloseable closer) implements AutoCloseable {
        static Shared none() {
            return new Shared(Map.of(), () -> {
            });
        }

        String get(String key) {
            String v = properties.get(key);
            if (v == null) {
                throw new IllegalStateException("shared property " + key + " was not passed to this node");
            }
            return v;
        }

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /** A node's store counters, read over HTTP by the load generator ({@code -1}: not counted). */
    interface Counters {
        Counters NONE = new Counters() {
            public long writes() {
                return -1;
            }

            public long touches() {
                return -1;
            }
        };

        long writes();

        long touches();
    }

    /**
     * One setup: a name for files, a label for humans, and how each of its two node processes configures its Tomcat
     * ({@link NodeMain}). {@link #prepare()} runs once per pair in the orchestrating process.
     */
    interface Setup {
        String name();

        String label();

        /** Whether it is a replicated/shared setup (has a visibility number). */
        default boolean shared() {
            return true;
        }

        /** Whether every user alternates between the two nodes on each request (non-sticky load balancing). */
        default boolean roundRobin() {
            return false;
        }

        /** The backend our store runs on in this setup, or {@code null} (Tomcat's own managers and the peers). */
        default Backend backend() {
            return null;
        }

        default Line line() {
            return Line.TOMCAT_11;
        }

        default Kind kind() {
            return Kind.PEER;
        }

        /** Orchestrator side: what both nodes of a new pair share; closed once both stopped. */
        default Shared prepare() throws Exception {
            return Shared.none();
        }

        /** Node side, before start: sets up node {@code node}'s context. Returns what the node counts. */
        Counters configure(int node, Shared shared, TomcatNode.Setup s) throws Exception;

        /** Node side, after start: returns once the node can serve the setup (e.g. its cluster formed). */
        default void awaitReady(TomcatNode node) throws Exception {
        }

        /** Bytes of unchanged {@code String}s and boxed values each session of this setup also holds (0: none). */
        default int grownBytes() {
            return 0;
        }
    }

    /** The backends whose session-size cost the headline measures beside the bounded session (issue 24's goal). */
    static final List<Backend> GROWN = List.of(Backend.MEMCACHED, Backend.REDIS);

    /** KB of unchanged values in the sessions of a {@link GrownSetup} of the headline. */
    static final int GROWN_KB = 50;

    /** {@code ours} on each of {@link #GROWN} that runs, grown by {@link #GROWN_KB}. */
    private static List<Setup> grownOurs(List<Backend> backends) {
        return GROWN.stream().filter(backends::contains)
                .map(b -> GrownSetup.of(ours(b, "write-through", Variant.DEFAULT), GROWN_KB)).toList();
    }

    /** Every setup a node process may be asked for, by name. */
    static Setup byName(String name) {
        List<Setup> all = new ArrayList<>(all(List.of(Backend.values()), true));
        all.add(standard(Line.TOMCAT_10_1));
        all.add(Peers.redisson());
        all.add(Peers.redissonMemory());
        for (Backend b : Backend.values()) {
            all.add(ours(b, "write-through", Variant.DEFAULT, Line.TOMCAT_10_1));
        }
        all.addAll(grownOurs(List.of(Backend.values())));
        for (Setup s : all) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no HTTP setup named " + name);
    }

    /** Every setup of a full run. */
    static List<Setup> all(List<Backend> backends) {
        return all(backends, true);
    }

    /**
     * The setups of a run. {@code everyVariant = false} (quick and smoke) runs write-through on every backend, but
     * async and the non-sticky variant on the first backend only (the policies' cost does not depend much on it),
     * the strict-sticky variant on the first two, and the locking modes {@code none} and {@code pessimistic} not at
     * all.
     */
    static List<Setup> all(List<Backend> backends, boolean everyVariant) {
        List<Setup> list = new ArrayList<>();
        list.add(standard());
        list.add(ClusterSetup.of("delta-async", "DeltaManager, SimpleTcpCluster static membership, "
                + "channelSendOptions=8 (async)", DeltaManager::new, 8));
        list.add(ClusterSetup.of("delta-sync", "DeltaManager, SimpleTcpCluster static membership, "
                + "channelSendOptions=4 (sync ack)", DeltaManager::new, 4));
        list.add(ClusterSetup.of("backup", "BackupManager, SimpleTcpCluster static membership, "
                + "default mapSendOptions (sync ack)", BackupManager::new, 8));
        list.add(persistentValve());
        if (backends.contains(Backend.MARIADB)) {
            list.add(dataSourceStore());
        }
        if (backends.contains(Backend.FILE)) {
            // The fair peer of Tomcat's FileStore, which never fsyncs
            list.add(ours(Backend.FILE, "write-through", Variant.NO_FSYNC));
        }
        for (int i = 0; i < backends.size(); i++) {
            list.add(ours(backends.get(i), "write-through", Variant.DEFAULT));
            // Quick: the version check's cost on the first two backends (a local file stat, a network round trip)
            if (everyVariant || i < 2) {
                list.add(ours(backends.get(i), "write-through", Variant.STRICT_STICKY));
            }
        }
        list.addAll(grownOurs(backends));
        for (int i = 0; i < backends.size(); i++) {
            if (everyVariant || i == 0) {
                list.add(ours(backends.get(i), "async", Variant.DEFAULT));
            }
        }
        for (int i = 0; i < backends.size(); i++) {
            if (everyVariant || i == 0) {
                list.add(ours(backends.get(i), "write-through", Variant.NON_STICKY));
            }
            if (everyVariant && i == 0) {
                list.add(ours(backends.get(i), "write-through", Variant.NON_STICKY_NONE));
                list.add(ours(backends.get(i), "write-through", Variant.NON_STICKY_PESSIMISTIC));
            }
        }
        return list;
    }

    /**
     * The headline's Tomcat 11 setups: the ceiling and ours, write-through, on every backend, then ours on memcached
     * and Redis again with grown sessions ({@link #GROWN}, {@link GrownSetup}).
     */
    static List<Setup> headline(List<Backend> backends) {
        List<Setup> list = new ArrayList<>();
        list.add(standard());
        for (Backend b : backends) {
            list.add(ours(b, "write-through", Variant.DEFAULT));
        }
        list.addAll(grownOurs(backends));
        return list;
    }

    static Setup standard() {
        return standard(Line.TOMCAT_11);
    }

    /** StandardManager: sessions in this node's memory only, nothing written anywhere. */
    static Setup standard(Line line) {
        return new Setup() {
            public String name() {
                return line == Line.TOMCAT_11 ? "standard" : "standard-tomcat10.1";
            }

            public String label() {
                return "StandardManager, no replication (ceiling)";
            }

            public boolean shared() {
                return false;
            }

            public Line line() {
                return line;
            }

            public Kind kind() {
                return Kind.CEILING;
            }

            public Counters configure(int node, Shared shared, TomcatNode.Setup s) {
                StandardManager m = new StandardManager();
                m.setPathname(null); // nothing written at stop
                s.context().setManager(m);
                return Counters.NONE;
            }
        };
    }

    /** A temp directory both nodes use, deleted once they stopped. */
    static Shared sharedDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        return new Shared(Map.of("dir", dir.toString()), () -> ServerProcess.deleteTree(dir));
    }

    static Setup persistentValve() {
        return new Setup() {
            public String name() {
                return "tomcat-persistentvalve-file";
            }

            public String label() {
                return "Tomcat PersistentValve + PersistentManager + FileStore (shared temp dir)";
            }

            public Shared prepare() throws IOException {
                return sharedDirectory("sessionstore-filestore-");
            }

            public Counters configure(int i, Shared shared, TomcatNode.Setup s) {
                PersistentManager m = new PersistentManager();
                FileStore store = new FileStore();
                store.setDirectory(shared.get("dir"));
                AtomicLong saves = new AtomicLong();
                m.setStore(new CountingStore(store, saves));
                s.context().setManager(m);
                s.context().getPipeline().addValve(new PersistentValve());
                return counting(saves);
            }
        };
    }

    private static Counters counting(AtomicLong saves) {
        return new Counters() {
            public long writes() {
                return saves.get();
            }

            public long touches() {
                return -1;
            }
        };
    }

    /**
     * Tomcat's other built-in peer: PersistentValve + PersistentManager + DataSourceStore on the run's MariaDB (its
     * own table; the DataSource is a HikariCP pool of 10 per node, as our JdbcStore's). DataSourceStore saves with a
     * DELETE and an INSERT.
     */
    static Setup dataSourceStore() {
        return new Setup() {
            public String name() {
                return "tomcat-persistentvalve-datasource";
            }

            public String label() {
                return "Tomcat PersistentValve + PersistentManager + DataSourceStore (HikariCP, 10 connections) on "
                        + "MariaDB";
            }

            public Backend backend() {
                return Backend.MARIADB;
            }

            public Counters configure(int i, Shared shared, TomcatNode.Setup s) throws Exception {
                SharedServer server = SharedServer.acquire(Backend.MARIADB);
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(server.endpoint());
                config.setUsername(Databases.USER);
                config.setPassword(Databases.PASSWORD);
                config.setMaximumPoolSize(10);
                config.setPoolName("bench-datasourcestore");
                HikariDataSource ds = new HikariDataSource(config); // lives as long as this node process
                PersistentManager m = new PersistentManager();
                DataSourceStore store = new DirectDataSourceStore(ds);
                store.setSessionTable(Databases.TOMCAT_TABLE);
                store.setSessionIdCol("session_id");
                store.setSessionValidCol("valid_session");
                store.setSessionMaxInactiveCol("max_inactive");
                store.setSessionLastAccessedCol("last_access");
                store.setSessionAppCol("app_name");
                store.setSessionDataCol("session_data");
                AtomicLong saves = new AtomicLong();
                m.setStore(new CountingStore(store, saves));
                s.context().setManager(m);
                s.context().getPipeline().addValve(new PersistentValve());
                return counting(saves);
            }
        };
    }

    /**
     * DataSourceStore with its DataSource given, instead of looked up in JNDI (embedded Tomcat, no naming), and the
     * app name both nodes of a real cluster would have: Tomcat derives it from the engine's name, which differs per
     * node here (so node B would never find node A's rows).
     */
    static final class DirectDataSourceStore extends DataSourceStore {
        DirectDataSourceStore(DataSource ds) {
            this.dataSource = ds;
        }

        @Override
        public String getName() {
            String path = getManager().getContext().getName();
            return "/Catalina/localhost" + (path.startsWith("/") ? path : "/" + path);
        }
    }

    static Setup ours(Backend backend, String policy) {
        return ours(backend, policy, Variant.DEFAULT);
    }

    static Setup ours(Backend backend, String policy, Variant variant) {
        return ours(backend, policy, variant, Line.TOMCAT_11);
    }

    static Setup ours(Backend backend, String policy, Variant variant, Line line) {
        if (variant == Variant.NO_FSYNC && backend != Backend.FILE) {
            throw new IllegalArgumentException("fsync=false is a FILE setting");
        }
        return new Setup() {
            public String name() {
                return "ours-" + backend.name().toLowerCase() + variant.suffix + "-" + policy
                        + (line == Line.TOMCAT_11 ? "" : "-tomcat10.1");
            }

            public String label() {
                return "PersistentManager + our " + backend + " store, flushPolicy=" + policy
                        + (backend == Backend.FILE && variant != Variant.NO_FSYNC ? ", fsync=true" : "") + variant.label
                        + (line == Line.TOMCAT_11 ? "" : ", on Tomcat 10.1");
            }

            public boolean roundRobin() {
                return variant.lockingMode != null;
            }

            public Backend backend() {
                return backend;
            }

            public Line line() {
                return line;
            }

            public Kind kind() {
                return Kind.OURS;
            }

            public Shared prepare() throws IOException {
                return sharedDirectory("sessionstore-http-");
            }

            public Counters configure(int i, Shared shared, TomcatNode.Setup s) throws Exception {
                // Not closed here: the node process ends with it, and the orchestrator deletes the shared directory
                Backend.Fixture fixture = backend.open(Path.of(shared.get("dir")));
                PersistentManager m = new PersistentManager();
                AbstractSessionStore store = fixture.newStore();
                store.setFlushPolicy(policy);
                variant.configure(store);
                m.setStore(store);
                s.context().setManager(m);
                return new Counters() {
                    public long writes() {
                        return store.statistics().getSaves();
                    }

                    public long touches() {
                        return store.statistics().getTouches();
                    }
                };
            }
        };
    }
}
