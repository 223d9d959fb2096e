package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.servlet.ServletContext;

import org.apache.catalina.Context;
import org.apache.catalina.session.PersistentManager;
import org.apache.catalina.session.PersistentManagerBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.SessionEvents;
import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * Tomcat's session lifecycle, fleet-wide: one test per rule, each on two embedded nodes over the backend under test,
 * with the default settings unless the rule is about a setting. Each test names the protection it guards; without
 * that protection it goes red.
 */
public abstract class AbstractLifecycleIT {

    /** A new store over the backend under test; called once per node. */
    protected abstract AbstractSessionStore newStore() throws Exception;

    /** Whether the backend sweeps expired records (memcached leaves expiry to its TTL and fires no listener). */
    protected boolean sweepsExpiredSessions() {
        return true;
    }

    /** Threads of an in-JVM test server (not of the store), which the stop test must not count. */
    protected boolean isServerThread(String threadName) {
        return false;
    }

    protected final List<TomcatNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        Exception first = null;
        try {
            if (!nodes.isEmpty() && storeOf(nodes.get(0)).currentBackend() != null) {
                // short-lived sessions of this test must not expire into the next test's listeners
                storeOf(nodes.get(0)).clear();
            }
        } catch (Exception e) {
            first = e;
        }
        TomcatNode.closeAll(nodes, first);
    }

    protected TomcatNode node(String name, Consumer<AbstractSessionStore> storeSettings,
            Consumer<PersistentManager> managerSettings) throws Exception {
        TomcatNode n = startNode(name, storeSettings, managerSettings);
        nodes.add(n);
        return n;
    }

    private TomcatNode startNode(String name, Consumer<AbstractSessionStore> storeSettings,
            Consumer<PersistentManager> managerSettings) throws Exception {
        return TomcatNode.start(name, managed(name, storeSettings, managerSettings));
    }

    /** A webapp (or a version of it) as a user configures it: a PersistentManager with a new store. */
    private Consumer<TomcatNode.Setup> managed(String name, Consumer<AbstractSessionStore> storeSettings,
            Consumer<PersistentManager> managerSettings) throws Exception {
        return managed(name, storeSettings, () -> {
            PersistentManager pm = new PersistentManager();
            pm.setProcessExpiresFrequency(1);
            managerSettings.accept(pm);
            return pm;
        });
    }

    /** A node whose manager {@code manager} makes (e.g. a {@link SessionStoreManager}), with a new store. */
    protected TomcatNode node(String name, Supplier<PersistentManagerBase> manager) throws Exception {
        TomcatNode n = TomcatNode.start(name, managed(name, s -> { }, manager));
        nodes.add(n);
        return n;
    }

    /** The webapp with the manager {@code manager} makes, over a new store. */
    private Consumer<TomcatNode.Setup> managed(String name, Consumer<AbstractSessionStore> storeSettings,
            Supplier<PersistentManagerBase> manager) throws Exception {
        AbstractSessionStore store = newStore();
        storeSettings.accept(store);
        return setup -> {
            PersistentManagerBase pm = manager.get();
            pm.setStore(store);
            setup.context().setManager(pm);
            setup.tomcat().getEngine().setJvmRoute(name);
        };
    }

    /** A node serving version {@code version} of the webapp ({@code /app##1}). */
    protected TomcatNode versionedNode(String name, String version, Consumer<PersistentManager> managerSettings)
            throws Exception {
        TomcatNode n = TomcatNode.start(name, version, managed(name, s -> { }, managerSettings));
        nodes.add(n);
        return n;
    }

    /** Deploys version {@code version} next to the node's running one. */
    protected Context deployVersion(TomcatNode node, String version, Consumer<PersistentManager> managerSettings)
            throws Exception {
        return node.deployVersion(version, managed(node.name(), s -> { }, managerSettings));
    }

    protected TomcatNode node(String name) throws Exception {
        return node(name, s -> { }, m -> { });
    }

    protected TomcatNode nonStickyNode(String name) throws Exception {
        return node(name, s -> s.setNonSticky(true), m -> { });
    }

    static AbstractSessionStore storeOf(TomcatNode node) {
        return storeOf(node.context());
    }

    static AbstractSessionStore storeOf(Context context) {
        return (AbstractSessionStore) ((PersistentManagerBase) context.getManager()).getStore();
    }

    private static StoredSession stored(TomcatNode node, WebUser user) throws Exception {
        return storeOf(node).currentBackend().stat(SessionKeys.storageKey(user.sessionId()));
    }

    private static int destroyed(TomcatNode... of) {
        int n = 0;
        for (TomcatNode node : of) {
            n += SessionEvents.destroyed(node.context().getServletContext());
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------- timeout

    /**
     * Rule: an idle session stays valid for its timeout after its last request on any node, and ends within the
     * grace after it. Guards the touch rule: a read-only request on B must refresh the stored expiry when it no
     * longer covers a full timeout, or A's sweep expires the session from A's stale expiry.
     */
    @Test
    void timeoutCountsFromTheLastRequestOnAnyNode() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        long t0 = System.currentTimeMillis();
        assertEquals(1, user.get(a.url("/count?ttl=6")).field("count"));
        Thread.sleep(Math.max(0, t0 + 2500 - System.currentTimeMillis()));
        long lastRequest = System.currentTimeMillis();
        assertEquals(1, user.get(b.url("/read")).field("count"), "B serves it at 2.5 s");
        Thread.sleep(Math.max(0, t0 + 7000 - System.currentTimeMillis()));
        StoredSession at7 = stored(a, user);
        assertNotNull(at7, "at 7 s, 4.5 s after the last request, the store still has the session");
        assertTrue(at7.expiresAt() >= lastRequest + 6000, "its stored expiry covers a full timeout after B's request");
        assertEquals(0, destroyed(a, b), "no sessionDestroyed before the timeout");
        // the grace is 10 % (0.6 s); the sweep runs every second, memcached's TTL has whole seconds
        Thread.sleep(Math.max(0, lastRequest + 6000 + 600 + 2500 - System.currentTimeMillis()));
        StoredSession end = stored(a, user);
        assertTrue(end == null || end.isExpired(System.currentTimeMillis()), "expired within the grace: " + end);
        String id = user.sessionId();
        assertEquals("none", user.get(b.url("/read")).body(), "no node serves it after the grace");
        user.sessionId(id);
        assertEquals("none", user.get(a.url("/read")).body());
        if (sweepsExpiredSessions()) {
            assertNull(stored(a, user), "the sweep claimed it (plus one sweep after the grace)");
            assertEquals(1, destroyed(a, b), "sessionDestroyed fired once in the fleet");
        }
    }

    // ------------------------------------------------------------------------------------------- invalidation

    /** Rule: a logout on an async thread is final. Guards against a remove() that depends on the calling thread. */
    @Test
    void invalidationOnAnAsyncThreadIsFinalOnEveryNode() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        user.get(a.url("/count"));
        String id = user.sessionId();
        assertEquals(2, user.get(b.url("/read")).field("count"), "both nodes now hold a copy");
        assertEquals("invalidated", user.get(b.url("/async-invalidate")).body());
        user.sessionId(id);
        assertEquals("none", user.get(a.url("/read")).body(), "A must not serve the logged-out session");
        user.sessionId(id);
        assertEquals("none", user.get(b.url("/read")).body(), "nor B");
        assertNull(storeOf(a).currentBackend().load(SessionKeys.storageKey(id)), "the record is gone");
    }

    /** Rule: Manager.expireSession over JMX (the manager webapp's "Expire") ends the session on every node. */
    @Test
    void expireSessionThroughJmxIsFinalOnEveryNode() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        String id = user.sessionId();
        assertEquals(1, user.get(b.url("/read")).field("count"), "both nodes now hold a copy");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> managers = server.queryNames(
                new ObjectName(b.tomcat().getEngine().getName() + ":type=Manager,*"), null);
        assertEquals(1, managers.size(), "node B's Manager MBean: " + managers);
        server.invoke(managers.iterator().next(), "expireSession", new Object[] { id },
                new String[] { String.class.getName() });
        user.sessionId(id);
        assertEquals("none", user.get(a.url("/read")).body(), "A must not serve the expired session");
        user.sessionId(id);
        assertEquals("none", user.get(b.url("/read")).body(), "nor B");
    }

    /**
     * Rule: expireSession on a node whose copy is older than the record (A changed the session since B read it) still
     * ends the session. Guards against treating an expiry as housekeeping because another node extended the session.
     */
    @Test
    void expireSessionOnANodeWithAnOlderCopyIsFinal() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        String id = user.sessionId();
        assertEquals(1, user.get(b.url("/read")).field("count"), "B holds a copy");
        Thread.sleep(50);
        assertEquals(2, user.get(a.url("/count")).field("count"), "A changes and extends it since");
        ((PersistentManager) b.context().getManager()).expireSession(id);
        user.sessionId(id);
        assertEquals("none", user.get(a.url("/read")).body(), "A must not serve the expired session");
    }

    /** Rule: Store.remove removes, from any caller (here the test thread, outside every request). */
    @Test
    void removeOutsideARequestIsFinalOnEveryNode() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        String id = user.sessionId();
        assertEquals(1, user.get(b.url("/read")).field("count"));
        storeOf(a).remove(id);
        user.sessionId(id);
        assertEquals("none", user.get(a.url("/read")).body(), "A's own copy is not served again");
        user.sessionId(id);
        assertEquals("none", user.get(b.url("/read")).body(), "nor B's");
    }

    // ------------------------------------------------------------------------------------------- stale copies

    /**
     * Rule: no stale copy is served, with the default (sticky) settings. A, B, A: A must serve B's changes and must
     * not overwrite them. Guards the per-request version check of local copies.
     */
    @Test
    void stickyBounceServesTheNewestState() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        int users = 10;
        int intact = 0;
        for (int u = 0; u < users; u++) {
            WebUser user = new WebUser();
            user.get(a.url("/count"));
            user.get(a.url("/count"));
            user.get(b.url("/count"));
            user.get(b.url("/count"));
            Reply back = user.get(a.url("/count"));
            Reply end = user.get(b.url("/read"));
            if (back.field("count") == 5 && back.field("list") == 5 && end.field("count") == 5
                    && end.field("list") == 5) {
                intact++;
            }
        }
        assertEquals(users, intact, "sessions that kept B's changes after going back to A");
        assertTrue(storeOf(a).statistics().getStaleEvictions() >= users, "A dropped its stale copies");
    }

    /** The opt-out does what its name says: without the check, A serves its old copy (so the test above can fail). */
    @Test
    void assumeStrictStickinessServesTheLocalCopyUnchecked() throws Exception {
        TomcatNode a = node("nodeA", s -> s.setAssumeStrictStickiness(true), m -> { });
        TomcatNode b = node("nodeB", s -> s.setAssumeStrictStickiness(true), m -> { });
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        user.get(b.url("/count"));
        assertEquals(1, user.get(a.url("/read")).field("count"), "A's unchecked local copy misses B's change");
    }

    // ------------------------------------------------------------------------------------------- idle policy

    /**
     * Rule: under flushPolicy="idle", PersistentManager's backups keep a session in use alive in the store, and the
     * sweep never expires a session that is in memory and in use. Guards the backup touch of an unchanged session.
     */
    @Test
    void idlePolicyNeverExpiresASessionInUse() throws Exception {
        TomcatNode a = node("nodeA", s -> s.setFlushPolicy("idle"), m -> m.setMaxIdleBackup(0));
        TomcatNode b = node("nodeB", s -> s.setFlushPolicy("idle"), m -> m.setMaxIdleBackup(0));
        WebUser user = new WebUser();
        assertEquals(1, user.get(a.url("/count?ttl=4")).field("count"));
        for (int i = 1; i <= 8; i++) {
            Thread.sleep(1000);
            assertEquals(1, user.get(a.url("/read")).field("count"), "request " + i + " s in (4 s timeout)");
        }
        assertEquals(0, destroyed(a, b), "no sessionDestroyed for a session in use");
    }

    // ------------------------------------------------------------------------------------------- stop

    // ---------------------------------------------------------------------------- parallel deployment

    /**
     * Rule: on one node, a new version of the webapp ({@code /app##2} next to {@code /app##1}) leaves each session
     * with the version that holds it, and new sessions land on the new version; undeploying the old version hands its
     * sessions, intact, to the new one without ending them. Guards the sibling check of the store's load: without
     * it, Tomcat's routing asks ##2 first, whose PersistentManager loads the session from the shared store and takes
     * it from ##1. Guards too the store's flush-and-release before the old version's manager stops: with
     * {@code saveOnRestart="false"} the manager would otherwise expire every session it holds (with the default, its
     * own unload writes them, as {@code gracefulStopOfOneNodeKeepsSharedSessions} shows for both).
     */
    @Test
    void newVersionOnOneNodeLeavesEachSessionWithItsVersion() throws Exception {
        assumeNewestTomcatLine();
        Consumer<PersistentManager> noUnload = m -> m.setSaveOnRestart(false);
        TomcatNode a = versionedNode("nodeA", "1", noUnload);
        Context v1 = a.context();
        WebUser old = new WebUser();
        assertEquals(1, old.get(a.url("/count")).field("count"));
        Context v2 = deployVersion(a, "2", noUnload);
        assertNotEquals(((StoreMBean) storeOf(v1).statistics()).name(),
                ((StoreMBean) storeOf(v2).statistics()).name(), "one MBean per version");
        assertEquals(2, old.get(a.url("/count")).field("count"));
        Reply r = old.get(a.url("/version"));
        assertEquals("1", r.text("version"), "the session stays with ##1, which holds it: " + r.body());
        assertEquals(2, r.field("list"));
        assertFalse(((PersistentManagerBase) v2.getManager()).isLoaded(old.sessionId()), "##2 did not load it");
        WebUser fresh = new WebUser();
        assertEquals(1, fresh.get(a.url("/count")).field("count"));
        assertEquals("2", fresh.get(a.url("/version")).text("version"), "a new session lands on ##2");

        // ##1 undeployed: its sessions go on with ##2, intact, and nothing ends them
        ServletContext app1 = v1.getServletContext();
        a.undeploy(v1);
        r = old.get(a.url("/version"));
        assertEquals("2", r.text("version"), r.body());
        assertEquals(2, r.field("count"));
        assertEquals(2, r.field("list"), "in-place change of ##1 included");
        assertEquals(3, old.get(a.url("/count")).field("list"));
        assertEquals(0, SessionEvents.destroyed(app1) + SessionEvents.destroyed(v2.getServletContext()),
                "no sessionDestroyed at undeploy");
    }

    /**
     * Rule: sessions are shared across versions of the webapp: a node serving only {@code /app##2} serves a session
     * of {@code /app##1} from another node, with its in-place changes (a rolling deploy across a fleet). Guards the
     * namespace: host + context path, without the version.
     */
    @Test
    void sessionsAreSharedAcrossVersions() throws Exception {
        assumeNewestTomcatLine();
        TomcatNode a = versionedNode("nodeA", "1", m -> { });
        TomcatNode b = versionedNode("nodeB", "2", m -> { });
        WebUser user = new WebUser();
        user.get(a.url("/count"));
        assertEquals(2, user.get(a.url("/count")).field("count"));
        Reply r = user.get(b.url("/version"));
        assertEquals("2", r.text("version"), r.body());
        assertEquals(2, r.field("count"), "##2 on node B serves ##1's session: " + r.body());
        assertEquals(2, r.field("list"), "in-place change included");
        assertEquals(3, user.get(b.url("/count")).field("list"));
    }

    /** Tests of features that Tomcat 10.1 shares run on the newest line only, to keep the build short. */
    static void assumeNewestTomcatLine() {
        Assumptions.assumeTrue("11".equals(System.getProperty("sessionstore.tomcat.line", "11")),
                "runs on the newest Tomcat line only");
    }

    /**
     * Rule: stop leaks nothing. After a first start and stop (JVM-wide singletons of the client libraries exist from
     * then on), a node that starts, serves, restarts its manager and store (as a context reload does), serves again and
     * stops leaves no thread behind, and no thread holds the webapp's class loader.
     */
    @Test
    void stopAndReloadLeaveNoThreadBehind() throws Exception {
        exercise(startNode("warmup", s -> { }, m -> { })).close();
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        TomcatNode n = startNode("leak", s -> { }, m -> { });
        List<ClassLoader> loaders = new ArrayList<>();
        try {
            loaders.add(n.context().getLoader().getClassLoader());
            exercise(n);
            // What a context reload does to the store: the manager, and with it the store, stops and starts again
            // (an embedded context's reload would also drop the test's programmatic servlets)
            org.apache.catalina.Lifecycle manager = (org.apache.catalina.Lifecycle) n.context().getManager();
            manager.stop();
            manager.start();
            exercise(n);
        } finally {
            n.close();
        }
        // Checked the moment stop returns, as Tomcat's own leak check does when the webapp's class loader stops
        List<String> left = leftBehind(before, loaders);
        assertEquals(List.of(), left, "threads left running after stop");
    }

    private static TomcatNode exercise(TomcatNode n) throws Exception {
        WebUser user = new WebUser();
        Reply r = user.get(n.url("/count"));
        assertEquals(1, r.field("count"), r.status() + " " + r.body());
        assertEquals(1, user.get(n.url("/read")).field("count"));
        return n;
    }

    /**
     * Threads started since {@code before} (other than the test's HTTP client and the JVM's own), or pinning a loader,
     * as seen the moment this is called. Tomcat's utility threads among them get a bounded wait: see
     * {@link #endsInTime}.
     */
    private List<String> leftBehind(Set<Thread> before, List<ClassLoader> webappLoaders) throws InterruptedException {
        List<Thread> utility = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isAlive()) {
                continue;
            }
            boolean pins = webappLoaders.contains(t.getContextClassLoader());
            boolean isNew = !before.contains(t) && !isTestOrJvmThread(t.getName()) && !isServerThread(t.getName());
            if (isNew && !pins && t.getName().startsWith("Catalina-utility-")) {
                utility.add(t);
            } else if (pins || isNew) {
                out.add(t.getName() + (pins ? " (holds the webapp class loader)" : ""));
            }
        }
        long deadline = System.nanoTime() + UTILITY_THREAD_EXIT_NANOS;
        for (Thread t : utility) {
            if (!endsInTime(t, deadline)) {
                out.add(t.getName() + " (still running " + UTILITY_THREAD_EXIT_NANOS / 1_000_000_000L + " s after stop)");
            }
        }
        return out;
    }

    private static final long UTILITY_THREAD_EXIT_NANOS = 10_000_000_000L;

    /**
     * Tomcat's utility threads run its background processing, the store's expiry sweep included, and end after the
     * server's stop returns: stop shuts their executor down without waiting for them. One still alive after the
     * bounded wait is stuck, in a store's task or elsewhere, and counts.
     */
    private static boolean endsInTime(Thread t, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left > 0) {
            t.join(Math.max(1, left / 1_000_000L));
        }
        return !t.isAlive();
    }

    /**
     * Threads that are not the store's: the test's and the JVM's, and the embedded Tomcat's connector workers, which
     * its executor ends after stop returns (seen alive under load); one of them holding the webapp's class loader
     * still counts.
     */
    private static boolean isTestOrJvmThread(String name) {
        return name.startsWith("HttpClient-") || name.startsWith("ForkJoinPool") || name.equals("process reaper")
                || name.equals("Common-Cleaner") || name.equals("Attach Listener") || name.startsWith("surefire")
                || name.startsWith("Keep-Alive") || name.startsWith("http-nio-");
    }
}
