package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.ha.session.ClusterSessionListener;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import javax.sql.DataSource;

import org.apache.catalina.session.DataSourceStore;
import org.apache.catalina.session.FileStore;
import org.apache.catalina.session.PersistentManager;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.group.interceptors.TcpPingInterceptor;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.apache.catalina.valves.PersistentValve;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * The session setups the HTTP comparison runs on two embedded Tomcats: Tomcat's own managers as ceiling and peers,
 * and our Store on every {@link Backend}.
 */
final class ServerSetups {

    private ServerSetups() {
    }

    /** Two started nodes sharing (or replicating) sessions, and the store counters where there are any. */
    static final class Pair implements AutoCloseable {
        final TomcatNode a;
        final TomcatNode b;
        private final List<AutoCloseable> resources;
        final LongSupplier writes;
        final LongSupplier touches;

        Pair(TomcatNode a, TomcatNode b, List<AutoCloseable> resources, LongSupplier writes, LongSupplier touches) {
            this.a = a;
            this.b = b;
            this.resources = resources;
            this.writes = writes;
            this.touches = touches;
        }

        TomcatNode node(int i) {
            return i % 2 == 0 ? a : b;
        }

        @Override
        public void close() throws Exception {
            Exception first = null;
            for (AutoCloseable c : new AutoCloseable[] { b, a }) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    first = first == null ? e : first;
                }
            }
            for (AutoCloseable c : resources) {
                try {
                    c.close();
                } catch (Exception e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** One setup: a name for files, a label for humans, and how to start its pair. */
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

        Pair start() throws Exception;

        /** The backend our store runs on in this setup, or {@code null} (Tomcat's own managers and stores). */
        default Backend backend() {
            return null;
        }
    }

    /** Every setup of a full run. */
    static List<Setup> all(List<Backend> backends) {
        return all(backends, true);
    }

    /**
     * The setups of a run. {@code everyVariant = false} (quick and smoke) runs write-through on every backend but
     * async and the non-sticky variant on the first backend only (the policies' cost does not depend much on it).
     */
    static List<Setup> all(List<Backend> backends, boolean everyVariant) {
        List<Setup> list = new ArrayList<>();
        list.add(standard());
        list.add(cluster("delta-async", "DeltaManager, SimpleTcpCluster static membership, channelSendOptions=8 (async)",
                DeltaManager::new, 8));
        list.add(cluster("delta-sync", "DeltaManager, SimpleTcpCluster static membership, channelSendOptions=4 (sync ack)",
                DeltaManager::new, 4));
        list.add(cluster("backup", "BackupManager, SimpleTcpCluster static membership, default mapSendOptions (sync ack)",
                BackupManager::new, 8));
        list.add(persistentValve());
        if (backends.contains(Backend.MARIADB)) {
            list.add(dataSourceStore());
        }
        if (backends.contains(Backend.FILE)) {
            // The fair peer of Tomcat's FileStore, which never fsyncs
            list.add(ours(Backend.FILE, "write-through", Variant.NO_FSYNC));
        }
        for (Backend backend : backends) {
            list.add(ours(backend, "write-through", Variant.DEFAULT));
            list.add(ours(backend, "write-through", Variant.STRICT_STICKY));
        }
        for (int i = 0; i < backends.size(); i++) {
            if (everyVariant || i == 0) {
                list.add(ours(backends.get(i), "async", Variant.DEFAULT));
            }
        }
        for (int i = 0; i < backends.size(); i++) {
            if (everyVariant || i == 0) {
                list.add(ours(backends.get(i), "write-through", Variant.NON_STICKY));
            }
            if (i == 0) {
                list.add(ours(backends.get(i), "write-through", Variant.NON_STICKY_NONE));
                list.add(ours(backends.get(i), "write-through", Variant.NON_STICKY_PESSIMISTIC));
            }
        }
        return list;
    }

    private static Pair startPair(NodeConfig config, List<AutoCloseable> resources, LongSupplier writes,
            LongSupplier touches) throws Exception {
        TomcatNode a = null;
        try {
            a = TomcatNode.start("a", s -> config.configure(0, s));
            TomcatNode b = TomcatNode.start("b", s -> config.configure(1, s));
            return new Pair(a, b, resources, writes, touches);
        } catch (Exception | Error e) {
            try {
                if (a != null) {
                    a.close();
                }
            } finally {
                for (AutoCloseable c : resources) {
                    c.close();
                }
            }
            throw e;
        }
    }

    private interface NodeConfig {
        void configure(int node, TomcatNode.Setup setup);
    }

    static Setup standard() {
        return new Setup() {
            public String name() {
                return "standard";
            }

            public String label() {
                return "StandardManager, no replication (ceiling)";
            }

            public boolean shared() {
                return false;
            }

            public Pair start() throws Exception {
                return startPair((i, s) -> {
                    StandardManager m = new StandardManager();
                    m.setPathname(null); // nothing written at stop
                    s.context().setManager(m);
                }, List.of(), null, null);
            }
        };
    }

    interface ManagerFactory {
        ClusterManager create();
    }

    static Setup cluster(String name, String label, ManagerFactory managers, int sendOptions) {
        return new Setup() {
            public String name() {
                return name;
            }

            public String label() {
                return label;
            }

            public Pair start() throws Exception {
                int[] ports = { ServerProcess.freePort(), ServerProcess.freePort() };
                Pair pair = startPair((i, s) -> {
                    SimpleTcpCluster cluster = new SimpleTcpCluster();
                    cluster.setChannelSendOptions(sendOptions);
                    // Static membership only accepts messages of its own name, derived from the cluster's, which
                    // defaults to the engine's name (different per node here)
                    cluster.setClusterName("sessionstore-bench-" + name);
                    GroupChannel channel = new GroupChannel();
                    channel.setJmxEnabled(false); // both nodes share one JVM, and so one MBean name
                    NioReceiver receiver = new NioReceiver();
                    receiver.setAddress("127.0.0.1");
                    receiver.setPort(ports[i]);
                    receiver.setAutoBind(1);
                    channel.setChannelReceiver(receiver);
                    StaticMembershipService membership = new StaticMembershipService();
                    StaticMember local = new StaticMember();
                    local.setUniqueId(uniqueId(i));
                    membership.setLocalMember(local);
                    try {
                        StaticMember other = new StaticMember("127.0.0.1", ports[1 - i], 0);
                        other.setUniqueId(uniqueId(1 - i));
                        membership.addStaticMember(other);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    channel.setMembershipService(membership);
                    channel.addInterceptor(new TcpPingInterceptor());
                    channel.addInterceptor(new TcpFailureDetector());
                    channel.addInterceptor(new MessageDispatchInterceptor());
                    cluster.setChannel(channel);
                    ClusterManager m = managers.create();
                    if (m instanceof DeltaManager dm) {
                        dm.setExpireSessionsOnShutdown(false);
                        dm.setStateTransferTimeout(10);
                    }
                    cluster.setManagerTemplate(m);
                    cluster.addValve(new ReplicationValve());
                    cluster.addClusterListener(new ClusterSessionListener());
                    s.tomcat().getEngine().setCluster(cluster);
                    s.context().setDistributable(true);
                }, List.of(), null, null);
                try {
                    awaitMembership(pair, 15_000);
                } catch (Exception | Error e) {
                    pair.close();
                    throw e;
                }
                return pair;
            }
        };
    }

    /** A cluster that has not formed would measure a StandardManager: refuse to measure it. */
    private static void awaitMembership(Pair pair, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        for (TomcatNode n : new TomcatNode[] { pair.a, pair.b }) {
            SimpleTcpCluster cluster = (SimpleTcpCluster) n.tomcat().getEngine().getCluster();
            while (cluster.getMembers().length == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("static cluster membership did not form: node " + n.name()
                            + " sees no member after " + timeoutMillis + " ms");
                }
                Thread.sleep(50);
            }
        }
    }

    private static String uniqueId(int node) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 16; i++) {
            sb.append(i == 0 ? "" : ",").append(node + 1);
        }
        return sb.append('}').toString();
    }

    static Setup persistentValve() {
        return new Setup() {
            public String name() {
                return "tomcat-persistentvalve-file";
            }

            public String label() {
                return "Tomcat PersistentValve + PersistentManager + FileStore (shared temp dir)";
            }

            public Pair start() throws Exception {
                Path dir = Files.createTempDirectory("sessionstore-filestore-");
                AtomicLong saves = new AtomicLong();
                return startPair((i, s) -> {
                    PersistentManager m = new PersistentManager();
                    FileStore store = new FileStore();
                    store.setDirectory(dir.toString());
                    m.setStore(new CountingStore(store, saves));
                    s.context().setManager(m);
                    s.context().getPipeline().addValve(new PersistentValve());
                }, List.of(() -> ServerProcess.deleteTree(dir)), saves::get, null);
            }
        };
    }

    /**
     * Tomcat's other built-in peer: PersistentValve + PersistentManager + DataSourceStore on the run's MariaDB (its
     * own table; the DataSource is a HikariCP pool of 10, as our JdbcStore's). DataSourceStore saves with a DELETE
     * and an INSERT.
     */
    static Setup dataSourceStore() {
        return new Setup() {
            private String described = "MariaDB";

            public String name() {
                return "tomcat-persistentvalve-datasource";
            }

            public String label() {
                return "Tomcat PersistentValve + PersistentManager + DataSourceStore (HikariCP, 10 connections) on "
                        + described;
            }

            public Backend backend() {
                return Backend.MARIADB;
            }

            public Pair start() throws Exception {
                SharedServer server = SharedServer.acquire(Backend.MARIADB);
                described = server.description();
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(server.endpoint());
                config.setUsername(Databases.USER);
                config.setPassword(Databases.PASSWORD);
                config.setMaximumPoolSize(10);
                config.setPoolName("bench-datasourcestore");
                HikariDataSource ds;
                try {
                    ds = new HikariDataSource(config);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
                AtomicLong saves = new AtomicLong();
                return startPair((i, s) -> {
                    PersistentManager m = new PersistentManager();
                    DataSourceStore store = new DirectDataSourceStore(ds);
                    store.setSessionTable(Databases.TOMCAT_TABLE);
                    store.setSessionIdCol("session_id");
                    store.setSessionValidCol("valid_session");
                    store.setSessionMaxInactiveCol("max_inactive");
                    store.setSessionLastAccessedCol("last_access");
                    store.setSessionAppCol("app_name");
                    store.setSessionDataCol("session_data");
                    m.setStore(new CountingStore(store, saves));
                    s.context().setManager(m);
                    s.context().getPipeline().addValve(new PersistentValve());
                }, List.of(ds::close, server), saves::get, null);
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
        if (variant == Variant.NO_FSYNC && backend != Backend.FILE) {
            throw new IllegalArgumentException("fsync=false is a FILE setting");
        }
        return new Setup() {
            private String described = backend.name();

            public String name() {
                return "ours-" + backend.name().toLowerCase() + variant.suffix + "-" + policy;
            }

            public String label() {
                return "PersistentManager + our store, flushPolicy=" + policy + variant.label + ": " + described
                        .replace("fsync=true", variant == Variant.NO_FSYNC ? "fsync=false" : "fsync=true");
            }

            public boolean roundRobin() {
                return variant.lockingMode != null;
            }

            public Backend backend() {
                return backend;
            }

            public Pair start() throws Exception {
                Path work = Files.createTempDirectory("sessionstore-http-");
                Backend.Fixture fixture;
                try {
                    fixture = backend.open(work);
                } catch (Exception e) {
                    ServerProcess.deleteTree(work);
                    throw e;
                }
                described = fixture.describe();
                AbstractSessionStore[] stores = new AbstractSessionStore[2];
                return startPair((i, s) -> {
                    PersistentManager m = new PersistentManager();
                    AbstractSessionStore store = fixture.newStore();
                    store.setFlushPolicy(policy);
                    variant.configure(store);
                    m.setStore(store);
                    stores[i] = store;
                    s.context().setManager(m);
                }, List.of(fixture), () -> sum(stores, true), () -> sum(stores, false));
            }
        };
    }

    private static long sum(AbstractSessionStore[] stores, boolean saves) {
        long n = 0;
        for (AbstractSessionStore s : stores) {
            if (s != null) {
                n += saves ? s.statistics().getSaves() : s.statistics().getTouches();
            }
        }
        return n;
    }
}
