package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * The drop-in jar of one backend on real Tomcat distributions, one process per node, configured only through
 * {@code lib/} and the context.xml the README documents; nodes die by SIGKILL. A backend adds a leaf that supplies
 * its {@link StoreFixture}.
 */
abstract class AbstractRealTomcatIT extends RealTomcatSuite {

    static final int SESSIONS = 200;
    /** Sessions of the sticky bounce (7 requests each). */
    static final int BOUNCE_SESSIONS = 50;
    /** Sessions of the async logout (9 requests each). */
    static final int LOGOUT_SESSIONS = 20;

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

    Stream<TomcatDistribution> stickyBounceServesTheOtherNodesChangesOn() {
        return versionsFor("stickyBounceServesTheOtherNodesChanges");
    }

    Stream<TomcatDistribution> asyncInvalidateEndsTheSessionOnEveryNodeOn() {
        return versionsFor("asyncInvalidateEndsTheSessionOnEveryNode");
    }

    /** The scenarios of Tomcat's session lifecycle across nodes: the sticky bounce and the async logout. */
    static boolean lifecycle(String scenario) {
        return scenario.equals("stickyBounceServesTheOtherNodesChanges")
                || scenario.equals("asyncInvalidateEndsTheSessionOnEveryNode");
    }

    /** Every scenario on the newest Tomcat line, and only failover and round robin on the older ones. */
    static boolean newestOrCore(TomcatDistribution dist, String scenario) {
        return dist.equals(TomcatDistribution.newest().get(0))
                || scenario.equals("failoverAfterSigkillKeepsEverySession")
                || scenario.equals("roundRobinNonStickyLosesNoIncrement");
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
        Workloads.assertRoundRobinNonSticky(n, SESSIONS);
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
        formLoginSurvivesFailover(dist, "");
    }

    /** Scenario 6 with {@code storeAttributes} on both nodes' Store. */
    void formLoginSurvivesFailover(TomcatDistribution dist, String storeAttributes) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1", "persistAuthentication=\"true\"", storeAttributes),
                node("node2", "persistAuthentication=\"true\"", storeAttributes));
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
    /**
     * 7. Sticky bounce with the default settings (no {@code nonSticky}): each session gets two changing requests on
     * node A, two on node B, then one more on node A, which still holds its own copy from the first two. A must serve
     * B's state (count and in-place list 4 before its request, 5 after) and must not overwrite B's changes; a final
     * read on B shows 5. Guards the per-request version check of the local copy, sticky or not.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stickyBounceServesTheOtherNodesChangesOn")
    void stickyBounceServesTheOtherNodesChanges(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1"), node("node2"));
        TomcatProcess a = n.get(0);
        TomcatProcess b = n.get(1);
        List<TomcatProcess> route = List.of(a, a, b, b, a);
        List<List<Reply>> runs = Workloads.perUser(BOUNCE_SESSIONS, u -> {
            Browser user = new Browser();
            List<Reply> replies = new ArrayList<>();
            for (TomcatProcess node : route) {
                Reply reply = user.get(node.url("/count"));
                assertEquals(200, reply.status(), () -> node + ": " + reply.body());
                replies.add(reply);
            }
            replies.add(user.get(b.url("/read")));
            assertEquals(200, replies.get(5).status(), () -> b + ": " + replies.get(5).body());
            return replies;
        });
        List<Reply> lastOnB = runs.stream().map(r -> r.get(3)).toList();
        List<Reply> backOnA = runs.stream().map(r -> r.get(4)).toList();
        List<Reply> finalOnB = runs.stream().map(r -> r.get(5)).toList();
        Outcome continuedOnB = Workloads.outcome(lastOnB, 4);
        Outcome servedOnA = Workloads.outcome(backOnA, 5);
        Outcome readOnB = Workloads.outcome(finalOnB, 5);
        System.out.println("[e2e] " + testName + " " + dist + ": B continued A's sessions: " + continuedOnB
                + "; back on A, B's changes kept: " + servedOnA + " (" + Workloads.tally(backOnA)
                + "); final read on B: " + readOnB + " (" + Workloads.tally(finalOnB) + ")");
        assertAll(
                () -> assertEquals(BOUNCE_SESSIONS, continuedOnB.counterIntact(), () -> "node B lost node A's changes"
                        + " (expected count 4 after A, A, B, B): " + continuedOnB + "; B showed "
                        + Workloads.tally(lastOnB)),
                () -> assertEquals(BOUNCE_SESSIONS, servedOnA.counterIntact(), () -> "back on node A, B's two"
                        + " setAttribute increments were lost (A served its own older copy; expected count 5): "
                        + servedOnA + "; A showed " + Workloads.tally(backOnA)),
                () -> assertEquals(BOUNCE_SESSIONS, servedOnA.listIntact(), () -> "back on node A, B's two"
                        + " in-place list appends were lost (expected list 5): " + servedOnA + "; A showed "
                        + Workloads.tally(backOnA)),
                () -> assertEquals(BOUNCE_SESSIONS, readOnB.counterIntact(), () -> "final read on node B: the"
                        + " counter lost increments of the bounce (expected 5): " + readOnB + "; B showed "
                        + Workloads.tally(finalOnB)),
                () -> assertEquals(BOUNCE_SESSIONS, readOnB.listIntact(), () -> "final read on node B: the"
                        + " in-place list lost appends of the bounce (expected 5): " + readOnB + "; B showed "
                        + Workloads.tally(finalOnB)));
    }

    /**
     * 8. Logout on an async thread: a session has requests on node A and on node B (both hold a local copy), then
     * {@code /async-invalidate} on B calls {@code session.invalidate()} inside {@code AsyncContext.start(...)}. With
     * the old cookie, neither A nor B may serve the old session afterwards: {@code /read} finds none, and
     * {@code /count} starts a fresh session under a new id. Guards invalidation outside the request thread (and the
     * version check that drops A's stale copy).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("asyncInvalidateEndsTheSessionOnEveryNodeOn")
    void asyncInvalidateEndsTheSessionOnEveryNode(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1"), node("node2"));
        TomcatProcess a = n.get(0);
        TomcatProcess b = n.get(1);
        record Logout(String id, Reply readOnA, Reply readOnB, Reply countOnA, Reply countOnB) {
        }
        List<Logout> runs = Workloads.perUser(LOGOUT_SESSIONS, u -> {
            Browser user = new Browser();
            int expected = 0;
            for (TomcatProcess node : List.of(a, a, b, b)) {
                Reply reply = user.get(node.url("/count"));
                assertEquals(200, reply.status(), () -> node + ": " + reply.body());
                int count = ++expected;
                assertEquals(count, reply.field("count"), () -> node + " continues the session before the logout: "
                        + reply.body());
            }
            String id = user.sessionId();
            Reply logout = user.get(b.url("/async-invalidate"));
            assertEquals(200, logout.status(), () -> b + " /async-invalidate: " + logout.body());
            assertTrue(logout.body().startsWith("invalidated id=" + id + " "),
                    () -> b + " invalidated the session on its async thread: " + logout.body());
            Reply[] after = new Reply[4];
            String[] paths = { "/read", "/read", "/count", "/count" };
            TomcatProcess[] on = { a, b, a, b };
            for (int i = 0; i < after.length; i++) {
                user.sessionId(id); // the old cookie, as a browser that missed the logout would send it
                TomcatProcess node = on[i];
                Reply reply = user.get(node.url(paths[i]));
                assertEquals(200, reply.status(), () -> node + ": " + reply.body());
                after[i] = reply;
            }
            return new Logout(id, after[0], after[1], after[2], after[3]);
        });
        // A read may find no session, or a fresh empty one under a new id; a /count must start from 1 under a new id
        long readA = runs.stream().filter(r -> servesOld(r.readOnA(), r.id(), 0)).count();
        long readB = runs.stream().filter(r -> servesOld(r.readOnB(), r.id(), 0)).count();
        long countA = runs.stream().filter(r -> servesOld(r.countOnA(), r.id(), 1)).count();
        long countB = runs.stream().filter(r -> servesOld(r.countOnB(), r.id(), 1)).count();
        String seen = "/read on A: " + Workloads.tally(runs.stream().map(Logout::readOnA).toList())
                + "; /read on B: " + Workloads.tally(runs.stream().map(Logout::readOnB).toList())
                + "; /count on A: " + Workloads.tally(runs.stream().map(Logout::countOnA).toList())
                + "; /count on B: " + Workloads.tally(runs.stream().map(Logout::countOnB).toList());
        System.out.println("[e2e] " + testName + " " + dist + ": old session served after the async logout on B:"
                + " /read A " + readA + "/" + LOGOUT_SESSIONS + ", /read B " + readB + "/" + LOGOUT_SESSIONS
                + ", /count A " + countA + "/" + LOGOUT_SESSIONS + ", /count B " + countB + "/" + LOGOUT_SESSIONS
                + " (" + seen + ")");
        assertAll(
                () -> assertEquals(0, readA, () -> "node A served the session invalidated on B's async thread (its"
                        + " old attributes) to " + readA + " of " + LOGOUT_SESSIONS + " old cookies; " + seen),
                () -> assertEquals(0, readB, () -> "node B served the session it invalidated on its async thread"
                        + " (resurrected from the store) to " + readB + " of " + LOGOUT_SESSIONS + " old cookies; "
                        + seen),
                () -> assertEquals(0, countA, () -> "node A continued the invalidated session (old id or old count)"
                        + " instead of starting a fresh one for " + countA + " of " + LOGOUT_SESSIONS + "; " + seen),
                () -> assertEquals(0, countB, () -> "node B continued the invalidated session (old id or old count)"
                        + " instead of starting a fresh one for " + countB + " of " + LOGOUT_SESSIONS + "; " + seen));
    }

    /**
     * Whether {@code reply} still shows the invalidated session {@code oldId}: its id, or any state beyond what a
     * fresh session shows after this request ({@code fresh}: 0 for /read, 1 for /count).
     */
    private static boolean servesOld(Reply reply, String oldId, int fresh) {
        if ("none".equals(reply.body())) {
            return false;
        }
        String id = reply.text("id");
        return oldId.equals(id) || reply.field("count") != fresh || reply.field("list") != fresh;
    }

    /**
     * 10. Parallel deployment: node 1 runs the webapp as {@code app##1}, node 2 as {@code app##2} (a rolling deploy
     * half done). A session begun on either version is served by the other, changes in place included. Guards the
     * namespace: the context's path, not its versioned name.
     */
    void parallelDeploymentVersionsShareTheirSessions(TomcatDistribution dist) throws Exception {
        begin(dist);
        List<TomcatProcess> n = nodes.start(node("node1").withWebappVersion("1"), node("node2").withWebappVersion("2"));
        Browser user = new Browser();
        assertEquals(1, user.get(n.get(0).url("/count")).field("count"));
        Reply onTwo = user.get(n.get(1).url("/count"));
        assertEquals(2, onTwo.field("count"), () -> "app##2 continues app##1's session: " + onTwo.body());
        assertEquals(2, onTwo.field("list"), () -> "with its in-place list: " + onTwo.body());
        Reply back = user.get(n.get(0).url("/count"));
        assertEquals(3, back.field("count"), () -> "and app##1 app##2's: " + back.body());
    }

    /**
     * 9. Issue 25 (Tomcat 11): a timer changes the session through Servlet 6.1's accessor after the response, with
     * the README's {@code SessionStoreManager}; node 1 is SIGKILLed as soon as that access returned, and node 2
     * serves the change (counter and in-place list). Guards the accessor's flush: without it the change waited in
     * node 1's memory for the session's next request.
     */
    void accessorChangeAfterTheResponseSurvivesSigkill(TomcatDistribution dist) throws Exception {
        begin(dist);
        String manager = "io.github.sessionstore.core.SessionStoreManager";
        List<TomcatProcess> n = nodes.start(nodeWithManager("node1", manager), nodeWithManager("node2", manager));
        TomcatProcess a = n.get(0);
        Browser user = new Browser();
        assertEquals(1, user.get(a.url("/count")).field("count"));
        Reply scheduled = user.get(a.url("/later?delay=300"));
        assertTrue(scheduled.body().startsWith("scheduled count=1 "), scheduled::body);
        Browser probe = new Browser(); // no cookie: asks about the session without a request of it
        String status = "pending";
        for (int i = 0; i < 100 && status.equals("pending"); i++) {
            Thread.sleep(50);
            status = probe.get(a.url("/later?done=" + user.sessionId())).body();
        }
        assertEquals("done", status, "the timer's access returned");
        a.kill();
        Reply r = user.get(n.get(1).url("/read"));
        assertEquals(2, r.field("count"), () -> "the timer's change on node 2: " + r.body());
        assertEquals(2, r.field("list"), () -> "and its in-place change: " + r.body());
    }
}
