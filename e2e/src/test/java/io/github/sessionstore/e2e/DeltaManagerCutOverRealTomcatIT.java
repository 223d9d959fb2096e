package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * {@code docs/migrating-from-deltamanager.md} on real distributions (newest line, file store): the cut-over of a
 * two-node DeltaManager cluster (static membership, {@code channelSendOptions="6"}, ReplicationValve and
 * JvmRouteBinderValve) to store nodes, one node at a time, behind a sticky balancer ({@link Balancer}, the routing a
 * load balancer does by the {@code jvmRoute} suffix of the session id).
 * <p>
 * The procedure: a store node joins and takes every new session while the DeltaManager nodes only serve their sticky
 * users (drain); the first DeltaManager node stops, and the balancer sends its users either to the other DeltaManager
 * node, which holds their sessions' replicas (failover preference), or to a store node (plain failover); a second
 * store node joins; the last DeltaManager node stops; after the cut-over a store node is SIGKILLed. The test asserts
 * the page's table exactly, per group of users and step: how many counters go on by one, how many users get a fresh
 * session (count 1), and that nothing else happens (a counter that lost a change fails it).
 */
class DeltaManagerCutOverRealTomcatIT extends RealTomcatSuite {

    /** Users with a session on the DeltaManager cluster before the cut-over starts, spread over both nodes. */
    static final int OLD_USERS = 20;
    /** Users whose session starts while the first store node drains the cluster, and after the second one joined. */
    static final int NEW_USERS = 10;

    @Override
    protected StoreFixture newFixture() {
        return new SharedFileStoreFixture();
    }

    /**
     * The {@code <Cluster>} the page starts from: BuiltInComparisonIT's static two-member cluster with
     * {@code channelSendOptions="6"}, plus the JvmRouteBinderValve a sticky fleet runs.
     */
    static String cluster(int ownPort, int p1, int p2) {
        String replication = "<Valve className=\"org.apache.catalina.ha.tcp.ReplicationValve\" filter=\"\"/>";
        String cluster = BuiltInComparisonIT.cluster(6, ownPort, p1, p2);
        assertTrue(cluster.contains(replication), cluster);
        return cluster.replace(replication, replication
                + "\n  <Valve className=\"org.apache.catalina.ha.session.JvmRouteBinderValve\"/>");
    }

    /** What one step did to a group: counters that went on, fresh sessions, and anything else (must not happen). */
    record Tally(int users, int continued, int fresh, int other) {
        @Override
        public String toString() {
            return users + " users: " + continued + " continued, " + fresh + " fresh" + (other > 0 ? ", " + other
                    + " OTHER" : "");
        }
    }

    /** One user: a browser and the counter the last reply showed. */
    static final class User {
        final Browser browser = new Browser();
        int count;
        String route;
    }

    private final Map<String, Tally> measured = new LinkedHashMap<>();

    @BeforeEach
    void clearMeasured() {
        measured.clear();
    }

    /** The page's procedure with a balancer that sends a stopped DeltaManager node's users to the other one. */
    @Test
    void cutOverWithFailoverToTheOtherDeltaManagerNode() throws Exception {
        cutOver(true);
    }

    /** The same procedure behind a balancer that sends them to any node that takes new sessions: a store node. */
    @Test
    void cutOverWithPlainFailover() throws Exception {
        cutOver(false);
    }

    private void cutOver(boolean peerFailover) throws Exception {
        begin(TomcatDistribution.newest().get(0));
        long t0 = System.nanoTime();
        int p1 = ServerProcess.freePort();
        int p2 = ServerProcess.freePort();
        String deltaContext = "<Context/>\n"; // the Cluster supplies the DeltaManager to the distributable webapp
        TomcatProcess dm1 = nodes.start(NodeConfig.of("dm1", deltaContext, List.of()).withJvmRoute("dm1")
                .withCluster(cluster(p1, p1, p2)));
        TomcatProcess dm2 = nodes.start(NodeConfig.of("dm2", deltaContext, List.of()).withJvmRoute("dm2")
                .withCluster(cluster(p2, p1, p2)));
        BuiltInComparisonIT.awaitMembership(dm1, dm2);
        Balancer lb = new Balancer(peerFailover);
        lb.add("dm1", dm1, true);
        lb.add("dm2", dm2, true);

        // 0. Before: users on the DeltaManager cluster, the balancer spreads new sessions over both nodes
        List<User> old = users(OLD_USERS);
        step("0 cluster only: users start", lb, old, Outcome.FRESH);
        step("0 cluster only: users", lb, old, Outcome.CONTINUE);
        List<User> onDm1 = new ArrayList<>(old.stream().filter(u -> u.route.equals("dm1")).toList());
        List<User> onDm2 = old.stream().filter(u -> u.route.equals("dm2")).toList();
        assertEquals(OLD_USERS / 2, onDm1.size(), "spread by the balancer");
        assertEquals(OLD_USERS / 2, onDm2.size(), "spread by the balancer");

        // 1. A store node joins; the DeltaManager nodes take no new sessions, their sticky users stay
        TomcatProcess s1 = nodes.start(storeNode("s1"));
        lb.add("s1", s1, false);
        lb.drain("dm1");
        lb.drain("dm2");
        step("1 s1 joined, dm1 and dm2 drain: dm1's users", lb, onDm1, Outcome.CONTINUE);
        step("1 s1 joined, dm1 and dm2 drain: dm2's users", lb, onDm2, Outcome.CONTINUE);
        assertTrue(old.stream().allMatch(u -> u.route.startsWith("dm")), "old users stay on their DeltaManager node");
        List<User> early = users(NEW_USERS);
        step("1 s1 joined: new users start", lb, early, Outcome.FRESH);
        assertTrue(early.stream().allMatch(u -> u.route.equals("s1")), "new sessions start on the store node");
        // A user who logs out during the drain still has dm1's route: dm1 gives them a new DeltaManager session
        User logout = onDm1.remove(0);
        assertEquals(200, logout.browser.get(lb.route(logout).url("/invalidate")).status());
        List<User> loggedOut = List.of(logout);
        step("1 a dm1 user logs out, next request", lb, loggedOut, Outcome.FRESH);
        assertEquals("dm1", logout.route, "a new session on the draining DeltaManager node");

        // 2. dm1 stops. With peer failover its users go to dm2, which holds their replicas; else to s1
        dm1.stop();
        Outcome dm1Users = peerFailover ? Outcome.CONTINUE : Outcome.FRESH;
        step("2 dm1 stopped: dm1's users", lb, onDm1, dm1Users);
        step("2 dm1 stopped: the user who logged out", lb, loggedOut, dm1Users);
        if (peerFailover) {
            assertTrue(onDm1.stream().allMatch(u -> u.route.equals("dm2")),
                    "JvmRouteBinderValve moved dm1's sessions to dm2's route");
        }
        step("2 dm1 stopped: dm2's users", lb, onDm2, Outcome.CONTINUE);
        step("2 dm1 stopped: new users", lb, early, Outcome.CONTINUE);

        // 3. The second store node joins (dm1's replacement)
        TomcatProcess s2 = nodes.start(storeNode("s2"));
        lb.add("s2", s2, false);
        List<User> late = users(NEW_USERS);
        step("3 s2 joined: later users start", lb, late, Outcome.FRESH);
        assertEquals(NEW_USERS / 2, late.stream().filter(u -> u.route.equals("s2")).count(), "spread over s1, s2");
        step("3 s2 joined: dm1's users", lb, onDm1, Outcome.CONTINUE);
        step("3 s2 joined: dm2's users", lb, onDm2, Outcome.CONTINUE);
        step("3 s2 joined: the user who logged out", lb, loggedOut, Outcome.CONTINUE);
        step("3 s2 joined: new users", lb, early, Outcome.CONTINUE);

        // 4. dm2, the last DeltaManager node, stops: its sessions lived only in the cluster's memory
        dm2.stop();
        List<String> dm2Ids = onDm2.stream().map(u -> u.browser.sessionId()).toList();
        Outcome stillOnTheCluster = peerFailover ? Outcome.FRESH : Outcome.CONTINUE;
        step("4 dm2 stopped: dm1's users", lb, onDm1, stillOnTheCluster);
        step("4 dm2 stopped: the user who logged out", lb, loggedOut, stillOnTheCluster);
        step("4 dm2 stopped: dm2's users", lb, onDm2, Outcome.FRESH);
        for (int i = 0; i < onDm2.size(); i++) {
            assertNotEquals(dm2Ids.get(i), onDm2.get(i).browser.sessionId(), "a fresh session under a new id");
        }
        step("4 dm2 stopped: new users", lb, early, Outcome.CONTINUE);
        step("4 dm2 stopped: later users", lb, late, Outcome.CONTINUE);

        // 5. After the cut-over every session is in the store: a store node lost (SIGKILL) costs nobody anything
        s1.kill();
        List<User> everyone = new ArrayList<>(old);
        everyone.addAll(early);
        everyone.addAll(late);
        step("5 s1 SIGKILLed: every user", lb, everyone, Outcome.CONTINUE);
        assertTrue(everyone.stream().allMatch(u -> u.route.equals("s1") || u.route.equals("s2")),
                "every session is a store node's");

        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        System.out.println("[e2e-cutover] " + (peerFailover ? "peer failover" : "plain failover") + ", Tomcat "
                + TomcatDistribution.newest().get(0).version() + ", Java " + System.getProperty("java.version")
                + ", " + seconds + " s:");
        measured.forEach((k, v) -> System.out.println("[e2e-cutover] | " + k + " | " + v.users() + " | "
                + v.continued() + " | " + v.fresh() + " |"));
    }

    enum Outcome { CONTINUE, FRESH }

    private NodeConfig storeNode(String route) {
        return node(route, "", "").withJvmRoute(route);
    }

    private static List<User> users(int n) {
        List<User> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new User());
        }
        return list;
    }

    /**
     * One {@code /count} per user through the balancer; every user of the group must have the expected outcome: the
     * counter goes on by one, or a fresh session (count 1).
     */
    private void step(String label, Balancer lb, List<User> group, Outcome expected) throws Exception {
        int continued = 0;
        int fresh = 0;
        int other = 0;
        List<String> odd = new ArrayList<>();
        for (User u : group) {
            TomcatProcess node = lb.route(u);
            Reply r = u.browser.get(node.url("/count"));
            assertEquals(200, r.status(), () -> node + ": " + r.body());
            int count = r.field("count");
            if (count == u.count + 1 && u.count > 0) {
                continued++;
            } else if (count == 1) {
                fresh++;
            } else {
                other++;
                odd.add(u.count + " -> " + r.body());
            }
            u.count = count;
            u.route = Balancer.routeOf(u.browser.sessionId());
        }
        Tally t = new Tally(group.size(), continued, fresh, other);
        measured.put(label, t);
        System.out.println("[e2e-cutover] " + label + ": " + t);
        assertEquals(new Tally(group.size(), expected == Outcome.CONTINUE ? group.size() : 0,
                expected == Outcome.FRESH ? group.size() : 0, 0), t, () -> label + ": " + odd);
    }

    /**
     * A sticky load balancer as the page describes it: a request goes to the live node named by its session id's
     * {@code jvmRoute}; with {@code peerFailover}, a request of a stopped DeltaManager node goes to a live
     * DeltaManager node (which holds the replica) if there is one; everything else (no session, or its node is gone)
     * goes round robin to a node that takes new sessions (not draining).
     */
    static final class Balancer {

        record Member(String route, TomcatProcess node, boolean deltaManager) {
        }

        private final Map<String, Member> members = new LinkedHashMap<>();
        private final List<String> draining = new ArrayList<>();
        private final boolean peerFailover;
        private int next;

        Balancer(boolean peerFailover) {
            this.peerFailover = peerFailover;
        }

        void add(String route, TomcatProcess node, boolean deltaManager) {
            members.put(route, new Member(route, node, deltaManager));
        }

        void drain(String route) {
            draining.add(route);
        }

        static String routeOf(String sessionId) {
            return sessionId == null || sessionId.indexOf('.') < 0 ? null
                    : sessionId.substring(sessionId.lastIndexOf('.') + 1);
        }

        TomcatProcess route(User u) {
            Member sticky = members.get(routeOf(u.browser.sessionId()));
            if (sticky != null && sticky.node().isAlive()) {
                return sticky.node();
            }
            if (peerFailover && sticky != null && sticky.deltaManager()) {
                for (Member m : members.values()) {
                    if (m.deltaManager() && m.node().isAlive()) {
                        return m.node();
                    }
                }
            }
            List<Member> open = members.values().stream()
                    .filter(m -> m.node().isAlive() && !draining.contains(m.route())).toList();
            assertTrue(!open.isEmpty(), "no node takes new sessions");
            return open.get(next++ % open.size()).node();
        }
    }
}
