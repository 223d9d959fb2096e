package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.util.Map;

import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.ClusterSessionListener;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.group.interceptors.TcpPingInterceptor;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;

import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * Tomcat's in-memory replication as an HTTP setup: a SimpleTcpCluster with static membership (both nodes listed,
 * receivers on loopback ports the orchestrator picks), DeltaManager or BackupManager, ReplicationValve.
 */
final class ClusterSetup {

    private ClusterSetup() {
    }

    interface ManagerFactory {
        ClusterManager create();
    }

    static ServerSetups.Setup of(String name, String label, ManagerFactory managers, int sendOptions) {
        return new ServerSetups.Setup() {
            public String name() {
                return name;
            }

            public String label() {
                return label;
            }

            public ServerSetups.Shared prepare() throws IOException {
                return new ServerSetups.Shared(Map.of("port0", Integer.toString(ServerProcess.freePort()), "port1",
                        Integer.toString(ServerProcess.freePort())), () -> {
                        });
            }

            public ServerSetups.Counters configure(int i, ServerSetups.Shared shared, TomcatNode.Setup s) throws IOException {
                int[] ports = { Integer.parseInt(shared.get("port0")), Integer.parseInt(shared.get("port1")) };
                SimpleTcpCluster cluster = new SimpleTcpCluster();
                cluster.setChannelSendOptions(sendOptions);
                // Static membership only accepts messages of its own name, derived from the cluster's, which
                // defaults to the engine's name (different per node here)
                cluster.setClusterName("sessionstore-bench-" + name);
                GroupChannel channel = new GroupChannel();
                channel.setJmxEnabled(false);
                NioReceiver receiver = new NioReceiver();
                receiver.setAddress("127.0.0.1");
                receiver.setPort(ports[i]);
                receiver.setAutoBind(1);
                channel.setChannelReceiver(receiver);
                StaticMembershipService membership = new StaticMembershipService();
                StaticMember local = new StaticMember();
                local.setUniqueId(uniqueId(i));
                membership.setLocalMember(local);
                StaticMember other = new StaticMember("127.0.0.1", ports[1 - i], 0);
                other.setUniqueId(uniqueId(1 - i));
                membership.addStaticMember(other);
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
                return ServerSetups.Counters.NONE;
            }

            /** A cluster that has not formed would measure a StandardManager: refuse to measure it. */
            public void awaitReady(TomcatNode node) throws InterruptedException {
                long deadline = System.nanoTime() + 20_000_000_000L;
                SimpleTcpCluster cluster = (SimpleTcpCluster) node.tomcat().getEngine().getCluster();
                while (cluster.getMembers().length == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("static cluster membership did not form: node " + node.name()
                                + " sees no member after 20 s");
                    }
                    Thread.sleep(50);
                }
            }
        };
    }

    private static String uniqueId(int node) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 16; i++) {
            sb.append(i == 0 ? "" : ",").append(node + 1);
        }
        return sb.append('}').toString();
    }
}
