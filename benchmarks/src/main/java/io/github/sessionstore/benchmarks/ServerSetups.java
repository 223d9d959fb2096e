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

        Pair start() throws Exception;
    }

    static List<Setup> all(List<Backend> backends) {
        List<Setup> list = new ArrayList<>();
        list.add(standard());
        list.add(cluster("delta-async", "DeltaManager, SimpleTcpCluster static membership, channelSendOptions=8 (async)",
                DeltaManager::new, 8));
        list.add(cluster("delta-sync", "DeltaManager, SimpleTcpCluster static membership, channelSendOptions=4 (sync ack)",
                DeltaManager::new, 4));
        list.add(cluster("backup", "BackupManager, SimpleTcpCluster static membership, default mapSendOptions (sync ack)",
                BackupManager::new, 8));
        list.add(persistentValve());
        for (Backend backend : backends) {
            list.add(ours(backend, "write-through"));
            list.add(ours(backend, "async"));
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

    static Setup ours(Backend backend, String policy) {
        return new Setup() {
            private String described = backend.name();

            public String name() {
                return "ours-" + backend.name().toLowerCase() + "-" + policy;
            }

            public String label() {
                return "PersistentManager + our store, flushPolicy=" + policy + ": " + described;
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
                n += saves ? s.getSaves() : s.getTouches();
            }
        }
        return n;
    }
}
