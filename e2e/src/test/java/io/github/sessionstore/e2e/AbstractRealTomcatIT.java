package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * The drop-in jar of one backend on real Tomcat distributions, one process per node, configured only through
 * {@code lib/} and the context.xml the README documents; nodes die by SIGKILL. A backend adds a leaf that supplies
 * its {@link StoreFixture}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRealTomcatIT {

    static final int SESSIONS = 200;

    /** A new fixture of the backend under test; called once per test. */
    protected abstract StoreFixture newFixture();

    private StoreFixture fixture;
    private Nodes nodes;
    private String testName;
    private String scenario;

    @BeforeEach
    void name(TestInfo info) {
        scenario = info.getTestMethod().map(m -> m.getName()).orElse("test");
        testName = getClass().getSimpleName() + "/" + scenario;
    }

    /**
     * Whether {@code scenario} (the test method's name) runs on {@code dist}; the others are not generated. All
     * by default; a leaf may narrow it to keep the suite's wall time, e.g. with {@link #newestOrCore}.
     */
    protected boolean runsOn(TomcatDistribution dist, String scenario) {
        return true;
    }

    // The Tomcat versions each scenario runs on: runsOn decides, and a scenario is not generated where it does not run

    Stream<TomcatDistribution> versionsFor(String scenario) {
        return TomcatDistribution.all().stream().filter(d -> runsOn(d, scenario));
    }

    Stream<TomcatDistribution> failoverAfterSigkillKeepsEverySessionOn() {
        return versionsFor("failoverAfterSigkillKeepsEverySession");
    }

    Stream<TomcatDistribution> roundRobinNonStickyLosesNoIncrementOn() {
        return versionsFor("roundRobinNonStickyLosesNoIncrement");
    }

    Stream<TomcatDistribution> nodeStartedLaterServesExistingSessionsOn() {
        return versionsFor("nodeStartedLaterServesExistingSessions");
    }

    Stream<TomcatDistribution> storeUnavailableAtStartDoesNotStopTheNodeOn() {
        return versionsFor("storeUnavailableAtStartDoesNotStopTheNode");
    }

    Stream<TomcatDistribution> failoverWithJvmRouteFindsTheSessionOn() {
        return versionsFor("failoverWithJvmRouteFindsTheSession");
    }

    Stream<TomcatDistribution> formLoginSurvivesFailoverOn() {
        return versionsFor("formLoginSurvivesFailover");
    }

    /** Every scenario on the newest Tomcat line, and only failover and round robin on the older ones. */
    static boolean newestOrCore(TomcatDistribution dist, String scenario) {
        return dist.equals(TomcatDistribution.newest().get(0))
                || scenario.equals("failoverAfterSigkillKeepsEverySession")
                || scenario.equals("roundRobinNonStickyLosesNoIncrement");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Starts the backend for this test on {@code dist}; every node of the test runs that distribution. */
    private void begin(TomcatDistribution dist) throws Exception {
        Path dir = E2eSettings.work().resolve(testName + "-" + dist.version());
        fixture = newFixture();
        try {
            fixture.start(dir);
        } catch (Exception e) {
            throw Fixtures.unavailable(fixture.backend(), e.toString());
        }
        nodes = new Nodes(dist, dir);
        Fixtures.announce(fixture.backend(), dist + ", " + testName);
    }

    private NodeConfig node(String name, String managerAttributes, String storeAttributes) {
        return NodeConfig.of(name, NodeConfig.persistentManager(managerAttributes, fixture.storeElement(storeAttributes)),
                fixture.libs()).withEnvironment(fixture.nodeEnvironment())
                .withCatalinaProperties(fixture.catalinaProperties());
    }

    private NodeConfig node(String name) {
        return node(name, "", "");
    }

    // ---------------------------------------------------------------------------------------------- scenarios

    /**
     * 1. Node 1 is SIGKILLed right after its last response; node 2 serves every session with its last counter and its
     * full in-place list. Guards write-through (a flush at the end of the request, before the thread is released).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("failoverAfterSigkillKeepsEverySessionOn")
    void failoverAfterSigkillKeepsEverySession(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1"), node("node2"));
        List<Browser> users = Workloads.createSessions(n.get(0), SESSIONS, 3);
        n.get(0).kill();
        Outcome outcome = Workloads.readAll(n.get(1), users, 3);
        assertEquals(SESSIONS, outcome.counterIntact(), () -> "counters after failover: " + outcome);
        assertEquals(SESSIONS, outcome.listIntact(), () -> "in-place lists after failover: " + outcome);
        assertEquals(4, users.get(0).get(n.get(1).url("/count")).field("list"), "the session keeps working on node 2");
    }

    /**
     * 2. Requests alternate between two nonSticky nodes; no increment, in place or not, is lost. Guards the version
     * check at request start (a node must not serve its older local copy).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("roundRobinNonStickyLosesNoIncrementOn")
    void roundRobinNonStickyLosesNoIncrement(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1", "", "nonSticky=\"true\""),
                node("node2", "", "nonSticky=\"true\""));
        Outcome outcome = Workloads.roundRobin(n, SESSIONS, 4);
        assertEquals(SESSIONS, outcome.counterIntact(), () -> "round robin: " + outcome);
        assertEquals(SESSIONS, outcome.listIntact(), () -> "round robin: " + outcome);

        // No resurrection: invalidated on node 2, node 1's local copy is not served
        Browser user = new Browser();
        assertEquals(1, user.get(n.get(0).url("/count")).field("count"));
        assertEquals(2, user.get(n.get(1).url("/count")).field("count"));
        String id = user.sessionId();
        assertEquals("invalidated", user.get(n.get(1).url("/invalidate")).body());
        user.sessionId(id);
        assertEquals("none", user.get(n.get(0).url("/read")).body(), "node 1 must not serve the invalidated session");
    }

    /** 3. Scale-out: a third node, started later with the same context.xml, serves the existing sessions. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeStartedLaterServesExistingSessionsOn")
    void nodeStartedLaterServesExistingSessions(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1"), node("node2"));
        List<Browser> users = new ArrayList<>();
        users.addAll(Workloads.createSessions(n.get(0), SESSIONS / 2, 3));
        users.addAll(Workloads.createSessions(n.get(1), SESSIONS / 2, 3));
        TomcatProcess third = nodes.start(node("node3"));
        Outcome outcome = Workloads.readAll(third, users, 3);
        assertEquals(SESSIONS, outcome.counterIntact(), () -> "on the new node: " + outcome);
        assertEquals(SESSIONS, outcome.listIntact(), () -> "on the new node: " + outcome);
        assertEquals(4, users.get(0).get(third.url("/count")).field("count"), "the new node continues the session");
    }

    /**
     * 4. The store is unreachable when the nodes start: they deploy and serve (HTTP 200, sessions in memory); once the
     * store is back, the sessions reach it (the store reconnects on its own) and the other node serves them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storeUnavailableAtStartDoesNotStopTheNodeOn")
    void storeUnavailableAtStartDoesNotStopTheNode(TomcatDistribution dist) throws Exception {
        begin(dist);
        fixture.makeUnavailable();
        List<TomcatProcess> n = nodes.start(node("node1"), node("node2"));
        int users = 20;
        List<Browser> browsers = Workloads.createSessions(n.get(0), users, 2);
        assertEquals("none", browsers.get(0).get(n.get(1).url("/read")).body(),
                "the store is really down: node 2 cannot see node 1's session");

        fixture.makeAvailable();
        // Bounded: the store retries its connection every 5 s; each round also sends the "next request" on node 1
        boolean[] seen = new boolean[users];
        int intact = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int round = 0; round < 120 && intact < users && System.nanoTime() < deadline; round++) {
            Thread.sleep(500);
            for (int u = 0; u < users; u++) {
                if (seen[u]) {
                    continue;
                }
                Browser b = browsers.get(u);
                assertEquals(200, b.get(n.get(0).url("/read")).status());
                Reply r = b.get(n.get(1).url("/read"));
                if (r.field("count") == 2 && r.field("list") == 2) {
                    seen[u] = true;
                    intact++;
                }
            }
        }
        assertEquals(users, intact, "sessions created while the store was down reach it once it is back");
        n.get(0).kill();
        assertEquals(3, browsers.get(0).get(n.get(1).url("/count")).field("count"), "and live on after node 1 died");
    }

    /**
     * 5. Engines with jvmRoute: ids carry the route ({@code ABC.tomcat1}), failover to a node with another route still
     * finds each session. Guards the route-free storage key.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("failoverWithJvmRouteFindsTheSessionOn")
    void failoverWithJvmRouteFindsTheSession(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1").withJvmRoute("tomcat1"),
                node("node2").withJvmRoute("tomcat2"));
        List<Browser> users = Workloads.createSessions(n.get(0), SESSIONS, 3);
        for (Browser b : users) {
            assertTrue(b.sessionId().endsWith(".tomcat1"), () -> "jvmRoute in the id: " + b.sessionId());
        }
        n.get(0).kill();
        Outcome outcome = Workloads.readAll(n.get(1), users, 3);
        assertEquals(SESSIONS, outcome.counterIntact(), () -> "failover across routes: " + outcome);
        assertEquals(SESSIONS, outcome.listIntact(), () -> "failover across routes: " + outcome);
    }

    /**
     * 6. A FORM login survives the death of its node (PersistentManager persistAuthentication="true"), and the
     * pre-login id (changed on authentication) loads on no node.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formLoginSurvivesFailoverOn")
    void formLoginSurvivesFailover(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1", "persistAuthentication=\"true\"", ""),
                node("node2", "persistAuthentication=\"true\"", ""));
        TomcatProcess a = n.get(0);
        TomcatProcess b = n.get(1);
        int users = 10;
        List<Browser> browsers = new ArrayList<>();
        List<String> preLoginIds = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            Browser user = new Browser();
            assertEquals(1, user.get(a.url("/count")).field("count"));
            String preLogin = user.sessionId();
            Reply form = user.get(a.url("/secure/page"));
            assertTrue(form.body().contains("login-form"), () -> "login page expected: " + form.body());
            Reply login = user.post(a.url("/j_security_check"),
                    Map.of("j_username", "alice", "j_password", "alice-secret"));
            assertTrue(login.status() == 302 || login.status() == 303, () -> "redirect after login: " + login);
            assertNotEquals(preLogin, user.sessionId(), "changeSessionIdOnAuthentication");
            Reply page = user.get(a.url("/secure/page"));
            assertEquals("alice", page.text("user"), () -> "logged in on node 1: " + page.body());
            browsers.add(user);
            preLoginIds.add(preLogin);
        }
        a.kill();
        for (int u = 0; u < users; u++) {
            Reply page = browsers.get(u).get(b.url("/secure/page"));
            int user = u;
            assertEquals(200, page.status());
            assertEquals("alice", page.text("user"), () -> "user " + user + " still logged in on node 2: " + page.body());
            assertEquals(1, page.field("count"), "the session came along");
            Browser attacker = new Browser();
            attacker.sessionId(preLoginIds.get(u));
            assertEquals("none", attacker.get(b.url("/read")).body(), "the pre-login id loads on no node");
        }
    }
}
