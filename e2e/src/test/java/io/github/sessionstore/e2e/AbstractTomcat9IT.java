package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * A backend's {@code -tomcat9} jar on the real Tomcat 9.0 distribution ({@link TomcatDistribution#tomcat9()}), with
 * the test webapp relocated to javax.servlet ({@link JavaxRelocation}): failover, round robin and scale-in. Every node
 * must have started the store and logged no linkage error (an API of Tomcat 10.1/11 that 9.0 lacks).
 */
abstract class AbstractTomcat9IT extends RealTomcatSuite {

    static final int SESSIONS = 100;
    private static final Pattern LINKAGE = Pattern.compile("NoSuchMethodError|NoSuchFieldError|NoClassDefFoundError"
            + "|AbstractMethodError|IncompatibleClassChangeError|ClassNotFoundException|VerifyError");

    /** The backend's fixture for Tomcat 10.1/11; its jars are swapped for their {@code -tomcat9} siblings. */
    protected abstract StoreFixture backendFixture();

    @Override
    protected final StoreFixture newFixture() {
        return new Tomcat9Fixture(backendFixture());
    }

    /**
     * Node 1 is SIGKILLed after its last response and node 2 serves every session with its counter and in-place list,
     * then changes each once more (in place too); node 2 then leaves by SIGTERM (scale-in) and node 3 serves those
     * changes. Guards write-through and the flush at stop on Tomcat 9.
     */
    @Test
    void failoverThenScaleInKeepsEverySession() throws Exception {
        begin(TomcatDistribution.tomcat9());
        List<TomcatProcess> n = nodes.start(node("node1"), node("node2"), node("node3"));
        List<Browser> users = Workloads.createSessions(n.get(0), SESSIONS, 3);
        n.get(0).kill();
        Outcome failover = Workloads.readAll(n.get(1), users, 3);
        assertEquals(SESSIONS, failover.counterIntact(), () -> "counters after failover: " + failover);
        assertEquals(SESSIONS, failover.listIntact(), () -> "in-place lists after failover: " + failover);
        List<Reply> changed = Workloads.perUser(SESSIONS, u -> users.get(u).get(n.get(1).url("/count")));
        Outcome onNode2 = Workloads.outcome(changed, 4);
        assertEquals(SESSIONS, onNode2.counterIntact(), () -> "node 2 continues the sessions: " + onNode2);
        assertEquals(SESSIONS, onNode2.listIntact(), () -> "node 2 continues the sessions: " + onNode2);

        n.get(1).stop();
        Outcome scaleIn = Workloads.readAll(n.get(2), users, 4);
        assertEquals(SESSIONS, scaleIn.counterIntact(), () -> "counters after scale-in: " + scaleIn);
        assertEquals(SESSIONS, scaleIn.listIntact(), () -> "in-place lists after scale-in: " + scaleIn);
        assertCleanStart(n);
    }

    /**
     * {@code nonSticky="true"}: requests alternate between two nodes and no increment is lost; an invalidation on
     * node 2 is not resurrected by node 1's copy.
     */
    @Test
    void roundRobinNonStickyLosesNoIncrement() throws Exception {
        begin(TomcatDistribution.tomcat9());
        List<TomcatProcess> n = nodes.start(node("node1", "", "nonSticky=\"true\""),
                node("node2", "", "nonSticky=\"true\""));
        Workloads.assertRoundRobinNonSticky(n, SESSIONS);
        assertCleanStart(n);
    }

    /** Each node ran Tomcat 9 with the store started, and no log line names a linkage error. */
    private static void assertCleanStart(List<TomcatProcess> nodes) {
        assertAll(nodes.stream().map(node -> () -> {
            String logs = node.allLogs();
            assertTrue(logs.contains("Apache Tomcat/9.0."), () -> node + " runs Tomcat 9");
            assertTrue(logs.contains("Session store for [localhost/app] connected to"), () -> node + ": store started");
            Matcher m = LINKAGE.matcher(logs);
            assertFalse(m.find(), () -> node + " logged a linkage error: " + m.group());
        }));
    }
}
