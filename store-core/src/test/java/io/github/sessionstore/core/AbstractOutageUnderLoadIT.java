package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.catalina.session.PersistentManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.github.sessionstore.core.testkit.TomcatNode;
import io.github.sessionstore.core.testkit.WebUser;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * Issue 8, store outages under load: the store becomes unavailable while concurrent users keep working, and comes
 * back while they still do. A backend module adds a leaf that supplies {@link #newStore()} and the two hooks
 * {@link #breakStore()} / {@link #repairStore()} (kill and restart the server, cut and restore the network, take the
 * directory away and give it back).
 * <p>
 * Scenario: two embedded Tomcat nodes over one store, sticky sessions ({@value #CLIENTS} client threads, half on each
 * node, each owning one session and never changing node), the store's {@code operationTimeout} at
 * {@value #OPERATION_TIMEOUT_MILLIS} ms and its background probe/retry every {@value #PROBE_INTERVAL_MILLIS} ms. Each
 * client loops {@code /count} (increments a counter with setAttribute and appends to a list in place) and remembers
 * the last counter the server returned. After a warm-up the store is broken, the load keeps running, half of the
 * clients stop half-way through the outage (users who leave while the store is down: their last change reaches the
 * store only through the background retry), the store is repaired and the other half keeps running a little longer.
 * Then:
 * <ol>
 * <li>every request was answered 200 (no 5xx, no I/O error at the client), and each answer continued its session
 * (counter = previous + 1, in-place list in step with it);</li>
 * <li>no request took longer than {@link #HANG_BOUND_MILLIS};</li>
 * <li>once the nodes report no unflushed session and no pending delete (bounded wait), every client's session is read
 * through a fresh third node over the same store with exactly the counter that client saw last;</li>
 * <li>the outage was real: the stores counted failures and held sessions for retry during it, or, for a backend that
 * stays available through it ({@link #storeStaysAvailable()}), the sessions of the clients that left were readable
 * with their last state through a fresh node before the repair.</li>
 * </ol>
 * Every session here stays on a live node throughout: no Tomcat dies, only the store does. A session that roams
 * between nodes while the store is down has no holder but the store, so no outage test can promise its state; that
 * case is deliberately not part of this scenario.
 */
public abstract class AbstractOutageUnderLoadIT {

    /** Every node's store gets this {@code operationTimeout}. */
    protected static final int OPERATION_TIMEOUT_MILLIS = 1000;
    /** Every node's store gets this {@code probeInterval}: reconnect, probe the open circuit, retry failed writes. */
    protected static final int PROBE_INTERVAL_MILLIS = 200;
    /**
     * No request may take longer than this, before, during or after the outage. This is a functional "no request
     * hangs on a dead store" check, not a speed claim: a request makes at most a few backend calls, each bounded by
     * {@code operationTimeout} or a small multiple of it (the JDBC socket timeout is {@code operationTimeout} + 2 s),
     * and the circuit breaker turns later ones into fast failures; the generous margin absorbs a loaded, shared CI
     * machine. A request blocked until a TCP or driver default gives up (tens of seconds to minutes) fails it.
     */
    protected static final long HANG_BOUND_MILLIS = 3L * OPERATION_TIMEOUT_MILLIS + 5000;

    static final int CLIENTS = 8;
    private static final long WARM_UP_MILLIS = 2000;
    private static final long OUTAGE_MILLIS = 4000;
    private static final long RECOVERY_MILLIS = 4000;
    /** Pause between two requests of one client (so at most 50 requests/s each): keeps a 2-core machine usable. */
    private static final long THINK_MILLIS = 20;
    /** Hard bounds of every client loop, whatever the phases do. */
    private static final int MAX_REQUESTS_PER_CLIENT = 5000;
    private static final long MAX_RUN_MILLIS = 120_000;
    /** How long the nodes may take after the load stopped to get every held session into the store. */
    private static final long SETTLE_LIMIT_MILLIS = 30_000;
    private static final long SAMPLE_MILLIS = 50;

    /** A new store over the backend under test; called once per node (the harness sets the timeouts). */
    protected abstract AbstractSessionStore newStore() throws Exception;

    /** Makes the store unavailable to the nodes (kill the server, cut the network ...); returns once it is. */
    protected abstract void breakStore() throws Exception;

    /** Makes the store available again (restart the server on the same address ...); returns once it is. */
    protected abstract void repairStore() throws Exception;

    /**
     * How long the store stays broken (default 4 s). The clients that leave do so half-way through it, and each must
     * have been answered for a request started during the outage: a leaf whose outage makes requests wait for the
     * timeouts (a hung server) needs it long enough for the circuit breaker to take over within the first half.
     */
    protected long outageMillis() {
        return OUTAGE_MILLIS;
    }

    /**
     * Whether the store keeps serving through the outage. By default it does not: the nodes' writes fail while it is
     * broken (the test checks that they did, so a hook that breaks nothing cannot pass) and reach it through the
     * background retry. A backend that keeps a second copy of every session (memcached with backup) returns true:
     * then, at the end of the outage and before the repair, every session whose client left during the outage must
     * already be readable with its last state through a fresh node.
     */
    protected boolean storeStaysAvailable() {
        return false;
    }

    private final List<TomcatNode> nodes = new ArrayList<>();
    private final List<TomcatNode> loadNodes = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private volatile boolean stopAll;
    private volatile boolean leaversStop;
    private int peakUnflushed;
    private long drainedAfterRepairNanos = -1;
    private long repairedAtNanos = -1;

    @AfterEach
    void stopNodes() throws Exception {
        stopAll = true;
        for (Client c : clients) {
            c.thread.join(TimeUnit.SECONDS.toMillis(40));
        }
        TomcatNode.closeAll(nodes, null);
    }

    // ---------------------------------------------------------------------------------------------- for leaves

    /** The two nodes carrying the load (for a leaf's own checks in its hooks). */
    protected final List<TomcatNode> loadNodes() {
        return List.copyOf(loadNodes);
    }

    /**
     * The session ids of the clients that leave during the outage (their last change is made while the store is
     * broken), known once the warm-up ran: e.g. to pick the server to kill.
     */
    protected final List<String> leavingSessionIds() {
        List<String> ids = new ArrayList<>();
        for (Client c : clients) {
            String id = c.user.sessionId();
            if (c.leaver && id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The key a backend stores a session id under (the id without its {@code jvmRoute} suffix). */
    protected static String storageKeyOf(String sessionId) {
        return SessionKeys.storageKey(sessionId);
    }

    protected static AbstractSessionStore storeOf(TomcatNode node) {
        return (AbstractSessionStore) ((PersistentManager) node.context().getManager()).getStore();
    }

    /** The backend a node's store is connected to, or {@code null}. */
    protected static SessionBackend backendOf(TomcatNode node) {
        return storeOf(node).currentBackend();
    }

    private TomcatNode node(String name) throws Exception {
        AbstractSessionStore store = newStore();
        store.setOperationTimeout(OPERATION_TIMEOUT_MILLIS);
        store.setProbeInterval(PROBE_INTERVAL_MILLIS);
        TomcatNode n = TomcatNode.start(name, setup -> {
            PersistentManager pm = new PersistentManager();
            pm.setProcessExpiresFrequency(1);
            pm.setStore(store);
            setup.context().setManager(pm);
            setup.tomcat().getEngine().setJvmRoute(name);
        });
        nodes.add(n);
        return n;
    }

    // ---------------------------------------------------------------------------------------------- the test

    @Test
    void storeOutageUnderLoadAnswersEveryRequestAndLosesNoState() throws Exception {
        TomcatNode a = node("nodeA");
        TomcatNode b = node("nodeB");
        loadNodes.add(a);
        loadNodes.add(b);
        long hardDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_RUN_MILLIS);
        for (int i = 0; i < CLIENTS; i++) {
            // per node: two clients stay to the end, two leave during the outage
            clients.add(new Client("client" + i, i % 2 == 0 ? a : b, (i / 2) % 2 == 1, hardDeadline));
        }
        for (Client c : clients) {
            c.thread.start();
        }

        long errorsBefore;
        long errorsDuring;
        long brokenAt;
        long repairStartedAt;
        Map<String, String> readDuringOutage = Map.of();
        boolean broken = false;
        Throwable hookFailure = null;
        try {
            pause(WARM_UP_MILLIS);
            errorsBefore = errors();
            breakStore();
            broken = true;
            brokenAt = System.nanoTime();
            pause(outageMillis() / 2);
            leaversStop = true;
            pause(outageMillis() / 2);
            errorsDuring = errors() - errorsBefore;
            if (storeStaysAvailable()) {
                readDuringOutage = readLeaversThroughAFreshNode();
            }
            repairStartedAt = System.nanoTime();
            repairStore();
            broken = false;
            repairedAtNanos = System.nanoTime();
            pause(RECOVERY_MILLIS);
        } catch (Throwable t) {
            hookFailure = t;
            throw t;
        } finally {
            stopAll = true;
            for (Client c : clients) {
                c.thread.join(TimeUnit.SECONDS.toMillis(40));
            }
            if (broken) {
                try {
                    repairStore(); // leave the server running for the leaf's teardown
                } catch (Exception e) {
                    if (hookFailure != null) {
                        hookFailure.addSuppressed(e);
                    }
                }
            }
        }

        for (Client client : clients) {
            assertFalse(client.thread.isAlive(), client.name + " did not stop: a request hangs");
        }

        // Settle: the load stopped; the nodes must get every session they hold into the store by themselves
        long settleStart = System.nanoTime();
        long settleDeadline = settleStart + TimeUnit.MILLISECONDS.toNanos(SETTLE_LIMIT_MILLIS);
        while (pending() > 0 && System.nanoTime() < settleDeadline) {
            pause(SAMPLE_MILLIS);
        }
        long settleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - settleStart);
        int unflushed = 0;
        int deletes = 0;
        for (TomcatNode n : loadNodes) {
            unflushed += storeOf(n).statistics().getUnflushedSessions();
            deletes += storeOf(n).statistics().getPendingDeletes();
        }
        int unflushedLeft = unflushed;
        int deletesLeft = deletes;

        // Read every session through a fresh node over the same store
        TomcatNode c = node("nodeC");
        Map<String, String> stored = new TreeMap<>();
        for (Client client : clients) {
            if (client.user.sessionId() == null) {
                stored.put(client.name, "no session");
                continue;
            }
            WebUser reader = new WebUser();
            reader.sessionId(client.user.sessionId());
            Reply r = reader.get(c.url("/read"));
            stored.put(client.name, r.status() + " " + r.body());
            client.storedCount = r.status() == 200 ? r.field("count") : -1;
            client.storedList = r.status() == 200 ? r.field("list") : -1;
        }

        // Figures
        Map<Integer, Integer> statuses = new TreeMap<>();
        long requests = 0;
        long outageRequests = 0;
        long maxLatency = 0;
        long maxOutageLatency = 0;
        for (Client client : clients) {
            for (Sample s : client.samples) {
                requests++;
                statuses.merge(s.status, 1, Integer::sum);
                maxLatency = Math.max(maxLatency, s.latencyNanos);
                if (s.startNanos < repairedAtNanos && s.startNanos + s.latencyNanos > brokenAt) {
                    outageRequests++;
                    maxOutageLatency = Math.max(maxOutageLatency, s.latencyNanos);
                }
            }
        }
        long fastFails = 0;
        for (TomcatNode n : loadNodes) {
            fastFails += storeOf(n).statistics().getFastFails();
        }
        String figures = String.format("[sessionstore-tests] outage under load, %s on Tomcat %s: %d requests "
                + "(%d overlapping the outage), statuses %s (-1 = I/O error), max latency %d ms during the outage "
                + "and %d ms overall (bound %d ms), store errors during the outage %d, fast fails %d, peak "
                + "unflushed sessions %d, retry drained %s after the repair, settled %d ms after the load stopped, "
                + "repair took %d ms", getClass().getSimpleName(), System.getProperty("sessionstore.tomcat.line", "?"),
                requests, outageRequests, statuses, TimeUnit.NANOSECONDS.toMillis(maxOutageLatency),
                TimeUnit.NANOSECONDS.toMillis(maxLatency), HANG_BOUND_MILLIS, errorsDuring, fastFails, peakUnflushed,
                drainedAfterRepairNanos < 0 ? "never during the run"
                        : TimeUnit.NANOSECONDS.toMillis(drainedAfterRepairNanos) + " ms",
                settleMillis, TimeUnit.NANOSECONDS.toMillis(repairedAtNanos - repairStartedAt));
        System.out.println(figures);
        System.err.println(figures);

        List<Executable> checks = new ArrayList<>();
        long outageStart = brokenAt;
        long maxLatencyMillis = TimeUnit.NANOSECONDS.toMillis(maxLatency);
        checks.add(() -> assertEquals(Map.of(200, (int) statusCount(statuses, 200)), statuses,
                "every request answered 200 (no 5xx, no I/O error): " + problems()));
        checks.add(() -> assertTrue(maxLatencyMillis < HANG_BOUND_MILLIS,
                "no request hangs: max latency " + maxLatencyMillis + " ms, bound " + HANG_BOUND_MILLIS + " ms"));
        checks.add(() -> assertEquals("", problems(), "every answer continued its session"));
        for (Client client : clients) {
            checks.add(() -> assertTrue(client.lastCount > 0, client.name + " made progress"));
            checks.add(() -> assertTrue(client.outageAnswers(outageStart) > 0,
                    client.name + " was answered during the outage"));
            checks.add(() -> assertEquals(client.lastCount, client.storedCount, client.name + " (" + (client.leaver
                    ? "left during the outage" : "stayed") + "): the store holds the last counter it saw; read "
                    + stored.get(client.name)));
            checks.add(() -> assertEquals(client.lastCount, client.storedList,
                    client.name + ": the in-place change is in the store too; read " + stored.get(client.name)));
        }
        checks.add(() -> assertEquals(0, unflushedLeft, "unflushed sessions left " + settleMillis + " ms after the "
                + "load stopped"));
        checks.add(() -> assertEquals(0, deletesLeft, "pending deletes left"));
        for (TomcatNode n : loadNodes) {
            checks.add(() -> assertFalse(storeOf(n).statistics().isCircuitOpen(), n.name() + ": the circuit closed again"));
        }
        if (storeStaysAvailable()) {
            Map<String, String> during = readDuringOutage;
            for (Client client : clients) {
                if (client.leaver) {
                    checks.add(() -> assertEquals("count=" + client.lastCount + " list=" + client.lastCount,
                            during.get(client.name), client.name + " (left during the outage): readable with its "
                                    + "last state while the store was still broken"));
                }
            }
        } else {
            long seen = errorsDuring;
            int peak = peakUnflushed;
            checks.add(() -> assertTrue(seen > 0, "the outage was seen by the stores (errors counted)"));
            checks.add(() -> assertTrue(peak > 0, "the outage left sessions held for retry"));
        }
        assertAll("outage under load", checks);
    }

    /**
     * The sessions of the clients that left, read through a node started now (so it holds no copy), then stopped:
     * {@code count=N list=M} per client, or what the node answered instead.
     */
    private Map<String, String> readLeaversThroughAFreshNode() throws Exception {
        for (Client client : clients) {
            if (client.leaver) {
                client.thread.join(TimeUnit.SECONDS.toMillis(40)); // told to stop half an outage ago
            }
        }
        Map<String, String> read = new TreeMap<>();
        TomcatNode d = node("nodeD");
        try {
            for (Client client : clients) {
                if (!client.leaver || client.user.sessionId() == null) {
                    continue;
                }
                WebUser reader = new WebUser();
                reader.sessionId(client.user.sessionId());
                Reply r = reader.get(d.url("/read"));
                read.put(client.name, r.status() != 200 ? "HTTP " + r.status() : r.body().replaceAll(" id=.*", ""));
            }
        } finally {
            nodes.remove(d);
            d.close();
        }
        return read;
    }

    private static long statusCount(Map<Integer, Integer> statuses, int status) {
        return statuses.getOrDefault(status, 0);
    }

    private String problems() {
        StringBuilder sb = new StringBuilder();
        for (Client c : clients) {
            if (c.firstProblem != null) {
                sb.append(sb.length() == 0 ? "" : "; ").append(c.name).append(": ").append(c.firstProblem)
                        .append(" (").append(c.problems).append(" in all)");
            }
        }
        return sb.toString();
    }

    private long errors() {
        long sum = 0;
        for (TomcatNode n : loadNodes) {
            sum += storeOf(n).statistics().getErrors();
        }
        return sum;
    }

    private int pending() {
        int sum = 0;
        for (TomcatNode n : loadNodes) {
            sum += storeOf(n).statistics().getUnflushedSessions() + storeOf(n).statistics().getPendingDeletes();
        }
        return sum;
    }

    /** Sleeps, sampling the nodes' retry state meanwhile. */
    private void pause(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            int unflushed = 0;
            for (TomcatNode n : loadNodes) {
                unflushed += storeOf(n).statistics().getUnflushedSessions();
            }
            peakUnflushed = Math.max(peakUnflushed, unflushed);
            long now = System.nanoTime();
            if (repairedAtNanos > 0 && drainedAfterRepairNanos < 0 && pending() == 0) {
                drainedAfterRepairNanos = now - repairedAtNanos;
            }
            long left = end - now;
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(SAMPLE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    // ---------------------------------------------------------------------------------------------- load

    private record Sample(long startNanos, long latencyNanos, int status) {
    }

    /** One user on one node: loops {@code /count} until told to stop, bounded in count and time. */
    private final class Client implements Runnable {
        final String name;
        final TomcatNode node;
        final boolean leaver;
        final long hardDeadline;
        final WebUser user = new WebUser();
        final List<Sample> samples = new ArrayList<>();
        final Thread thread;
        volatile int lastCount;
        volatile String firstProblem;
        volatile int problems;
        int storedCount = -1;
        int storedList = -1;

        Client(String name, TomcatNode node, boolean leaver, long hardDeadline) {
            this.name = name + "@" + node.name();
            this.node = node;
            this.leaver = leaver;
            this.hardDeadline = hardDeadline;
            this.thread = new Thread(this, "load-" + this.name);
            this.thread.setDaemon(true);
        }

        private boolean keepGoing() {
            return !stopAll && !(leaver && leaversStop) && samples.size() < MAX_REQUESTS_PER_CLIENT
                    && System.nanoTime() < hardDeadline;
        }

        @Override
        public void run() {
            String url = node.url("/count");
            while (keepGoing()) {
                long t0 = System.nanoTime();
                try {
                    Reply r = user.get(url);
                    samples.add(new Sample(t0, System.nanoTime() - t0, r.status()));
                    if (r.status() != 200) {
                        problem("HTTP " + r.status() + ": " + abbreviate(r.body()));
                    } else {
                        int count = r.field("count");
                        int list = r.field("list");
                        if (count != lastCount + 1 || list != count) {
                            problem("after count=" + lastCount + " the server answered " + r.body());
                        }
                        lastCount = count;
                    }
                } catch (IOException | RuntimeException e) {
                    samples.add(new Sample(t0, System.nanoTime() - t0, -1));
                    problem(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(THINK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void problem(String what) {
            problems++;
            if (firstProblem == null) {
                firstProblem = what;
            }
        }

        /** Answers (status 200) to requests started after the store was broken and before it was repaired. */
        long outageAnswers(long brokenAt) {
            return samples.stream().filter(s -> s.status == 200 && s.startNanos >= brokenAt
                    && (repairedAtNanos < 0 || s.startNanos < repairedAtNanos)).count();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** For leaves: polls {@code condition} every 50 ms until true or {@code millis} passed; returns its last value. */
    protected static boolean await(long millis, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean ok = condition.get();
        while (!ok && System.nanoTime() < deadline) {
            Thread.sleep(50);
            ok = condition.get();
        }
        return ok;
    }
}
