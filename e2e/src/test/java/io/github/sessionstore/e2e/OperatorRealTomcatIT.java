package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.sessionstore.core.testkit.TestKeys;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * The operator features on real Tomcat distributions (newest line only), configured only through {@code lib/}, the
 * context.xml and the environment, read over JMX as jconsole does ({@link NodeJmx}). A backend adds a leaf that
 * supplies its {@link StoreFixture}.
 */
abstract class OperatorRealTomcatIT extends RealTomcatSuite {

    Stream<TomcatDistribution> newest() {
        return TomcatDistribution.newest().stream();
    }

    private final List<NodeJmx> agents = new ArrayList<>();

    /** A node with its JMX agent on a free loopback port, and the given environment on top of the fixture's. */
    private NodeConfig node(String name, String manager, String store, Map<String, String> env, int jmxPort) {
        NodeConfig c = node(name, manager, store);
        Map<String, String> all = new HashMap<>(c.environment());
        all.putAll(env);
        all.putAll(NodeJmx.environment(jmxPort));
        List<String> props = new ArrayList<>(c.catalinaProperties());
        if (!props.contains(MariaDbStoreFixture.PROPERTY_SOURCE)) {
            props.add(MariaDbStoreFixture.PROPERTY_SOURCE); // ${…} from the environment, as the README says
        }
        return c.withEnvironment(all).withCatalinaProperties(props);
    }

    private NodeJmx jmx(int port) throws Exception {
        NodeJmx agent = NodeJmx.connect(port);
        agents.add(agent);
        return agent;
    }

    @org.junit.jupiter.api.AfterEach
    void closeAgents() throws Exception {
        for (NodeJmx a : agents) {
            a.close();
        }
        agents.clear();
    }

    /**
     * 9. A fleet with {@code encryptionKeys} (from the environment through {@code ${…}}) serves its sessions on every
     * node, stores them under keyed hashes of their ids (the fleet view names the stored key, and the id read from the
     * sealed record), and never loads what a node without its key wrote into the same store: a plain record (a node
     * without keys, or an attacker with write access to the store) and a record under the same key id with other key
     * material, which are not even under the key the fleet looks for. Each gets a fresh session with HTTP 200, and no
     * key reaches a log.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newest")
    void encryptedFleetRefusesRecordsItDidNotSeal(TomcatDistribution dist) throws Exception {
        begin(dist);
        String keys = TestKeys.entry("k2") + "," + TestKeys.entry("k1");
        String forgedKey = TestKeys.entry("k2");
        String store = "encryptionKeys=\"${SESSION_KEYS}\"";
        int jmx2 = NodeJmx.port();
        List<TomcatProcess> n = nodes.start(node("node1", "", store, Map.of("SESSION_KEYS", keys), NodeJmx.port()),
                node("node2", "", store, Map.of("SESSION_KEYS", keys), jmx2),
                node("plain", "", "", Map.of(), NodeJmx.port()),
                node("forger", "", store, Map.of("SESSION_KEYS", forgedKey), NodeJmx.port()));
        TomcatProcess a = n.get(0);
        TomcatProcess b = n.get(1);

        Browser user = new Browser();
        assertEquals(1, user.get(a.url("/count")).field("count"));
        assertEquals(2, user.get(a.url("/count")).field("count"));
        Reply third = user.get(b.url("/count"));
        assertEquals(3, third.field("count"), () -> "the keyed fleet reads its own records: " + third.body());

        NodeJmx onB = jmx(jmx2);
        List<String> meta = List.of((String[]) onB.invoke("sessionMetadata", user.sessionId()));
        assertTrue(meta.contains("id=" + user.sessionId()), () -> "the id, read from the sealed record: " + meta);
        String stored = meta.stream().filter(l -> l.startsWith("key=")).findFirst().orElseThrow();
        assertFalse(stored.contains(user.sessionId().split("\\.")[0]), () -> "the stored key names no id: " + stored);
        for (TomcatProcess writer : List.of(n.get(2), n.get(3))) {
            Browser victim = new Browser();
            assertEquals(1, victim.get(writer.url("/count")).field("count"));
            assertEquals(2, victim.get(writer.url("/count")).field("count"));
            String forged = victim.sessionId();
            Reply r = victim.get(b.url("/count"));
            assertEquals(200, r.status(), r::body);
            assertEquals(1, r.field("count"), () -> "a record node2 did not seal must not load: " + r.body());
            assertNotEquals(forged, victim.sessionId(), "a fresh session, under a new id");
        }
        for (TomcatProcess p : n) {
            String log = Files.readString(p.base().resolve("logs/console.log"), StandardCharsets.UTF_8);
            for (String k : (keys + "," + forgedKey).split(",")) {
                assertFalse(log.contains(k.substring(3)), () -> "key material in the log of " + p.base());
            }
        }
    }

    /**
     * 10. A rolling deploy: node2 runs a version of the webapp without the class of one attribute. The session still
     * loads there with every other attribute (HTTP 200, the counter goes on); the lost attribute is counted and
     * logged once with its name and class.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newest")
    void anAttributeOfAClassGoneOnTheReadingNodeCostsOnlyThatAttribute(TomcatDistribution dist) throws Exception {
        begin(dist);
        int jmx2 = NodeJmx.port();
        List<TomcatProcess> n = nodes.start(node("node1", "", "", Map.of(), NodeJmx.port()),
                node("node2", "", "", Map.of(), jmx2).withoutClasses(Set.of("Coupon", "CouponServlet")));
        TomcatProcess a = n.get(0);
        TomcatProcess b = n.get(1);
        Browser user = new Browser();
        assertEquals(1, user.get(a.url("/count")).field("count"));
        Reply coupon = user.get(a.url("/coupon"));
        assertTrue(coupon.body().startsWith("coupon=SPRING10"), coupon::body);
        String id = user.sessionId();

        Reply onB = user.get(b.url("/count"));
        assertEquals(200, onB.status(), onB::body);
        assertEquals(2, onB.field("count"), () -> "the rest of the session survives: " + onB.body());
        assertEquals(2, onB.field("list"), () -> "the in-place list too: " + onB.body());
        assertEquals(id, user.sessionId(), "the same session");
        assertEquals(1, jmx(jmx2).counter("DroppedAttributes"));
        String log = Files.readString(b.base().resolve("logs/console.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("coupon") && log.contains("io.github.sessionstore.e2e.app.Coupon"),
                () -> "the dropped attribute is named with its class: " + b.logTail());
    }

    /**
     * 11. Log out everywhere: alice is logged in and uses her session on node2; {@code expireSessions("alice")} run on
     * node1 over JMX ends it, so her next request on node2 is not authenticated. Bob's session is untouched.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newest")
    void expireSessionsOnOneNodeEndsAUsersSessionInUseOnAnother(TomcatDistribution dist) throws Exception {
        begin(dist);
        int jmx1 = NodeJmx.port();
        String manager = "persistAuthentication=\"true\"";
        List<TomcatProcess> n = nodes.start(node("node1", manager, "", Map.of(), jmx1),
                node("node2", manager, "", Map.of(), NodeJmx.port()));
        TomcatProcess a = n.get(0);
        TomcatProcess b = n.get(1);
        Browser alice = login(a, "alice");
        Browser bob = login(a, "bob");
        assertEquals("alice", alice.get(b.url("/secure/page")).text("user"), "alice's session in use on node2");
        assertEquals("bob", bob.get(b.url("/secure/page")).text("user"));

        NodeJmx ops = jmx(jmx1);
        assertArrayEquals(new String[] { alice.sessionId() }, (String[]) ops.invoke("findSessionIds", "alice"));
        assertEquals(1, ((Number) ops.invoke("expireSessions", "alice")).intValue());
        assertArrayEquals(new String[0], (String[]) ops.invoke("findSessionIds", "alice"));

        Reply after = alice.get(b.url("/secure/page"));
        assertEquals(200, after.status(), after::body);
        assertTrue(after.body().contains("login-form"), () -> "alice is logged out on node2: " + after.body());
        assertEquals("bob", bob.get(b.url("/secure/page")).text("user"), "bob is still logged in");
    }

    private static Browser login(TomcatProcess node, String user) throws Exception {
        Browser b = new Browser();
        Reply form = b.get(node.url("/secure/page"));
        assertTrue(form.body().contains("login-form"), () -> "login page expected: " + form.body());
        Reply login = b.post(node.url("/j_security_check"), Map.of("j_username", user, "j_password", user + "-secret"));
        assertTrue(login.status() == 302 || login.status() == 303, () -> "redirect after login: " + login);
        assertEquals(user, b.get(node.url("/secure/page")).text("user"));
        return b;
    }
}
