package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * Our store next to Tomcat's built-ins, with the same webapp, workload and SIGKILL, on the newest Tomcat only.
 * For each setup: round robin ({@value #USERS} sessions x {@value #RR_REQUESTS} requests alternating between two
 * nodes), then failover ({@value #USERS} sessions x 3 requests on node 1, SIGKILL, read on node 2). The percentages
 * go to {@code target/e2e-comparison.md}. Only ours is asserted (100 %); for the built-ins the test asserts that the
 * measurement ran (every request answered, node 1 counting correctly), not what it found.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuiltInComparisonIT {

    static final int USERS = AbstractRealTomcatIT.SESSIONS;
    static final int RR_REQUESTS = 4;

    record Row(String setup, String config, Outcome roundRobin, Outcome failover, String note) {
    }

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();
    private static final TomcatDistribution DIST = TomcatDistribution.newest().get(0);

    private Nodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private Path dir(String name) {
        Path d = E2eSettings.work().resolve("BuiltInComparisonIT/" + name);
        ServerProcess.deleteTree(d);
        return d;
    }

    /** Round robin on both nodes, then failover from node 1 to node 2, on one pair. */
    private Row measure(String setup, String config, NodeConfig a, NodeConfig b, boolean startOneByOne,
            String note) throws Exception {
        List<TomcatProcess> n;
        if (startOneByOne) {
            TomcatProcess first = nodes.start(a);
            n = List.of(first, nodes.start(b));
        } else {
            n = nodes.start(a, b);
        }
        return measure(setup, config, n, note);
    }

    private Row measure(String setup, String config, List<TomcatProcess> n, String note) throws Exception {
        Outcome rr = Workloads.roundRobin(n, USERS, RR_REQUESTS);
        List<Browser> users = Workloads.createSessions(n.get(0), USERS, 3);
        n.get(0).kill();
        Outcome fo = Workloads.readAll(n.get(1), users, 3);
        Row row = new Row(setup, config, rr, fo, note);
        ROWS.put(setup, row);
        System.out.println("[e2e-comparison] " + setup + ": round robin " + rr + "; failover " + fo);
        return row;
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void sessionstoreSharedFileStore() throws Exception {
        Path d = dir("sessionstore");
        nodes = new Nodes(DIST, d);
        SharedFileStoreFixture fixture = new SharedFileStoreFixture();
        fixture.start(d);
        String ctx = NodeConfig.persistentManager("", fixture.storeElement("nonSticky=\"true\""));
        Row row = measure("sessionstore SharedFileStore", "`<Store className=\"io.github.sessionstore.file.SharedFileStore\" directory=\"…\" nonSticky=\"true\"/>`",
                NodeConfig.of("node1", ctx, fixture.libs()), NodeConfig.of("node2", ctx, fixture.libs()), false, "");
        assertEquals(USERS, row.roundRobin().counterIntact(), row.roundRobin()::toString);
        assertEquals(USERS, row.roundRobin().listIntact(), row.roundRobin()::toString);
        assertEquals(USERS, row.failover().counterIntact(), row.failover()::toString);
        assertEquals(USERS, row.failover().listIntact(), row.failover()::toString);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void persistentManagerWithFileStore() throws Exception {
        Path d = dir("persistentmanager-filestore");
        nodes = new Nodes(DIST, d);
        String ctx = NodeConfig.persistentManager("maxIdleBackup=\"0\"",
                "<Store className=\"org.apache.catalina.session.FileStore\" directory=\"" + d.resolve("shared") + "\"/>");
        Row row = measure("PersistentManager + FileStore", "`maxIdleBackup=\"0\"`, shared directory",
                NodeConfig.of("node1", ctx, List.of()), NodeConfig.of("node2", ctx, List.of()), false,
                "backups run in the background, every processExpiresFrequency x backgroundProcessorDelay (60 s)");
        assertMeasured(row);
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void persistentValveWithFileStore() throws Exception {
        Path d = dir("persistentvalve-filestore");
        nodes = new Nodes(DIST, d);
        String ctx = "<Context>\n"
                + "  <Manager className=\"org.apache.catalina.session.PersistentManager\">\n"
                + "    <Store className=\"org.apache.catalina.session.FileStore\" directory=\"" + d.resolve("shared")
                + "\"/>\n"
                + "  </Manager>\n"
                + "  <Valve className=\"org.apache.catalina.valves.PersistentValve\"/>\n"
                + "</Context>\n";
        Row row = measure("PersistentValve + FileStore", "both nodes share the FileStore directory",
                NodeConfig.of("node1", ctx, List.of()), NodeConfig.of("node2", ctx, List.of()), false,
                "full load + full write on every request");
        assertMeasured(row);
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void deltaManagerAsync() throws Exception {
        delta(8, "DeltaManager, channelSendOptions=8 (async)");
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void deltaManagerSyncAck() throws Exception {
        // Tomcat's docs: synchronized_ack "has no effect unless use_ack is set"; measured because it is often used alone
        delta(4, "DeltaManager, channelSendOptions=4 (synchronized_ack without use_ack)");
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void deltaManagerUseAckSyncAck() throws Exception {
        delta(6, "DeltaManager, channelSendOptions=6 (use_ack + synchronized_ack)");
    }

    private void delta(int sendOptions, String setup) throws Exception {
        Path d = dir("deltamanager-" + sendOptions);
        nodes = new Nodes(DIST, d);
        int p1 = ServerProcess.freePort();
        int p2 = ServerProcess.freePort();
        String ctx = "<Context/>\n"; // the Cluster supplies the DeltaManager to the distributable webapp
        NodeConfig a = NodeConfig.of("node1", ctx, List.of()).withCluster(cluster(sendOptions, p1, p1, p2));
        NodeConfig b = NodeConfig.of("node2", ctx, List.of()).withCluster(cluster(sendOptions, p2, p1, p2));
        TomcatProcess first = nodes.start(a);
        TomcatProcess second = nodes.start(b);
        awaitMembership(first, second);
        Row row = measure(setup, "SimpleTcpCluster, StaticMembershipService (2 static members on loopback)",
                List.of(first, second), "replicates setAttribute deltas only");
        assertMeasured(row);
    }

    /** Both nodes must see each other before the workload, or nothing replicates. */
    static void awaitMembership(TomcatProcess... members) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (TomcatProcess m : members) {
            while (!m.consoleLog().contains("Replication member added") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(m.consoleLog().contains("Replication member added"),
                    () -> m + " never saw the other static member:\n" + m.logTail());
        }
    }

    static String cluster(int sendOptions, int ownPort, int p1, int p2) {
        return """
                <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster" channelSendOptions="%d">
                  <Manager className="org.apache.catalina.ha.session.DeltaManager"
                           expireSessionsOnShutdown="false" notifyListenersOnReplication="true"
                           stateTransferTimeout="15"/>
                  <Channel className="org.apache.catalina.tribes.group.GroupChannel">
                    <Membership className="org.apache.catalina.tribes.membership.StaticMembershipService">
                      <Member className="org.apache.catalina.tribes.membership.StaticMember"
                              host="127.0.0.1" port="%d" uniqueId="{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1}"/>
                      <Member className="org.apache.catalina.tribes.membership.StaticMember"
                              host="127.0.0.1" port="%d" uniqueId="{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2}"/>
                    </Membership>
                    <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver"
                              address="127.0.0.1" port="%d" autoBind="0" selectorTimeout="100" maxThreads="6"/>
                    <Sender className="org.apache.catalina.tribes.transport.ReplicationTransmitter">
                      <Transport className="org.apache.catalina.tribes.transport.nio.PooledParallelSender"/>
                    </Sender>
                    <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpFailureDetector"/>
                    <Interceptor className="org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor"/>
                  </Channel>
                  <Valve className="org.apache.catalina.ha.tcp.ReplicationValve" filter=""/>
                  <ClusterListener className="org.apache.catalina.ha.session.ClusterSessionListener"/>
                </Cluster>""".formatted(sendOptions, p1, p2, ownPort);
    }

    /** For the built-ins: the measurement itself ran (every request answered, see Workloads); nothing on the result. */
    private static void assertMeasured(Row row) {
        assertEquals(USERS, row.roundRobin().sessions());
        assertEquals(USERS, row.failover().sessions());
    }

    @AfterAll
    static void writeReport() throws IOException {
        Path report = Path.of(E2eSettings.require("e2e.report"));
        StringBuilder md = new StringBuilder();
        md.append("# Session failover on real Tomcat processes\n\n");
        md.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" on Tomcat ")
                .append(DIST.version()).append(", Java ").append(System.getProperty("java.version"))
                .append(", by BuiltInComparisonIT: `mvn -B -ntp -f e2e/pom.xml verify`")
                .append(" (alone: add `-Dtomcat11only -Dtest=BuiltInComparisonIT`).\n\n");
        md.append("Two nodes, each its own `catalina.sh run` process on loopback. Round robin: ").append(USERS)
                .append(" sessions x ").append(RR_REQUESTS).append(" requests alternating between the nodes. Failover: ")
                .append(USERS).append(" sessions x 3 requests on node 1, node 1 SIGKILLed right after the last response, ")
                .append("then one read per session on node 2. Each request increments a counter with `setAttribute` and ")
                .append("appends to a `List` in place (no `setAttribute`); a session is intact if the counter (resp. the ")
                .append("list) shows every request.\n\n");
        md.append("| setup | failover: counter intact | failover: in-place list intact | round robin: counter intact | ")
                .append("round robin: in-place list intact | notes |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Row r : ROWS.values()) {
            md.append("| ").append(r.setup()).append(" (").append(r.config()).append(") | ")
                    .append(r.failover().counterPercent()).append(" | ").append(r.failover().listPercent()).append(" | ")
                    .append(r.roundRobin().counterPercent()).append(" | ").append(r.roundRobin().listPercent())
                    .append(" | ").append(r.note()).append(" |\n");
        }
        Files.createDirectories(report.getParent());
        Files.writeString(report, md.toString());
        System.out.println(md);
    }
}
