package io.github.sessionstore.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import io.github.sessionstore.core.testkit.WebUser;

/**
 * The soak (not for CI): {@code --soak 10m} runs our store (write-through) on two node processes ({@link NodePair})
 * sharing one store server, under a steady open-loop load ({@link LoadGenerator#runOpen}, below saturation), for the
 * given time. Every minute one node, in turn, gets a SIGTERM and is started again; once, in the middle, the store
 * server is restarted ({@link StoreRestart}). Every few seconds it samples each node: heap in use after its last GC,
 * live threads, open descriptors, established connections to the store server ({@link ProcStats}), and the requests
 * served and failed since the last sample. Writes {@code soak.csv}, {@code report.md} (first vs last minute and a
 * flatness verdict per measure, {@link Flatness}) and {@code soak.svg} ({@link SoakReport}). Everything it starts is
 * stopped at the end, also after a failure.
 */
final class Soak {

    /** One reading of one node (NaN: could not be read, e.g. the node was down); served/errors since the last. */
    record Sample(double seconds, int node, long pid, double heapMb, double threads, double fds, double connections,
            long served, long errors) {
    }

    /** Something the soak did, e.g. a node's restart, at {@code seconds} from the load's start. */
    record Event(double seconds, String what, boolean server) {
    }

    /** The soak's settings: backend, length, load, sampling. */
    record Settings(Backend backend, long seconds, int sessions, double rate, int sampleSeconds, Path out) {
    }

    static final int READS = 4;
    static final int PAYLOAD = 2048;

    private final Settings settings;
    private final PrintStream console;
    final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> notes = new ArrayList<>();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    String server = "no server process";
    LoadGenerator.Result total;

    private Soak(Settings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
    }

    PrintStream console() {
        return console;
    }

    /** Runs the soak ({@link Options#soak} reads its command line); returns the process exit code. */
    static int run(Settings settings, PrintStream console) throws Exception {
        Files.createDirectories(settings.out());
        if (!Boolean.getBoolean("sessionstore.bench.verbose")) {
            Logs.quiet();
        }
        Soak soak = new Soak(settings, console);
        soak.runAll();
        SoakReport.write(soak, soak.settings);
        if (!soak.failures.isEmpty()) {
            console.println("FAILED:");
            soak.failures.forEach(f -> console.println("  " + f));
            return 1;
        }
        return 0;
    }

    private void runAll() {
        Backend b = settings.backend();
        console.printf("sessionstore soak: %s, %d s, %s req/s over %d sessions, results in %s%n", b,
                settings.seconds(), HttpSummary.num(settings.rate()), settings.sessions(), settings.out());
        SharedServer started = null;
        try {
            started = b.startServer();
            if (started != null) {
                System.setProperty(SharedServer.property(b), started.encode());
                server = started.description();
            } else {
                server = "no server process (" + b.tag() + ")";
            }
            console.println("  " + server);
            String noRestart = StoreRestart.unsupported(b, started);
            if (noRestart != null) {
                notes.add(noRestart);
            }
            ServerSetups.Setup setup = ServerSetups.ours(b, "write-through");
            try (ServerSetups.Shared shared = setup.prepare();
                    NodePair pair = NodePair.start(setup, shared, settings.out().resolve("logs"), "soak")) {
                soak(pair, noRestart == null ? started : null, storePort(started));
            }
        } catch (Exception | LinkageError e) {
            failures.add("soak: " + e);
            console.println("  FAILED: " + e);
        } finally {
            System.clearProperty(SharedServer.property(b));
            if (started != null) {
                try {
                    started.close();
                } catch (Exception e) {
                    failures.add("stopping " + started.description() + ": " + e);
                }
            }
        }
    }

    /** The server's port, from an endpoint such as {@code redis://127.0.0.1:6379/0} or a JDBC URL; -1 without. */
    static int storePort(SharedServer s) {
        if (s == null) {
            return -1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d{2,5})(?:[/;?]|$)").matcher(s.endpoint());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private void soak(NodePair pair, SharedServer restartable, int storePort) throws Exception {
        AtomicIntegerArray up = new AtomicIntegerArray(new int[] { 1, 1 });
        // The node each request went to, by its port (a restarted node has a new one)
        Map<Integer, Integer> nodeOfPort = new ConcurrentHashMap<>();
        nodeOfPort.put(port(pair.url(0, "")), 0);
        nodeOfPort.put(port(pair.url(1, "")), 1);
        AtomicLongArray served = new AtomicLongArray(2);
        AtomicLongArray errors = new AtomicLongArray(2);
        long[] start = new long[1];
        java.util.concurrent.CountDownLatch begun = new java.util.concurrent.CountDownLatch(1);
        java.util.function.IntFunction<LoadGenerator.User> users = i -> new LoadGenerator.User() {
            // Half the sessions live on each node; while their node is down, the other serves them
            private final int home = i % 2;

            @Override
            public WebUser begin() throws Exception {
                WebUser u = new WebUser();
                WebUser.Reply r = u.get(pair.url(home, "/count"));
                WebUser.Reply p = u.get(pair.url(home, "/payload?bytes=" + PAYLOAD));
                if (r.status() != 200 || p.status() != 200) {
                    throw new IllegalStateException("no session from node " + home + ": " + r + " / " + p);
                }
                return u;
            }

            @Override
            public String url(int n) {
                int node = up.get(home) == 1 ? home : 1 - home;
                return pair.url(node, n % (READS + 1) == 0 ? "/change" : "/read");
            }
        };
        LoadGenerator.Outcome outcome = (url, ok) -> {
            Integer node = nodeOfPort.get(port(url));
            if (node != null) {
                (ok ? served : errors).incrementAndGet(node);
            }
        };
        LoadGenerator.Window none = new LoadGenerator.Window() {
            public void opened() {
            }

            public void closed() {
            }
        };
        long millis = settings.seconds() * 1000;
        ExecutorService loadThread = Executors.newSingleThreadExecutor();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            Future<LoadGenerator.Result> load = loadThread.submit(() -> LoadGenerator.runOpen(
                    new LoadGenerator.OpenSettings(settings.sessions(), settings.rate(), 0, millis, 64), users, () -> {
                        start[0] = System.nanoTime();
                        begun.countDown();
                    }, none, outcome));
            while (!begun.await(1, TimeUnit.SECONDS)) {
                if (load.isDone()) {
                    load.get(); // the sessions could not be created: its exception says why
                }
            }
            console.println("  " + settings.sessions() + " sessions created; load running");
            sampler.scheduleAtFixedRate(() -> sample(pair, up, storePort, served, errors, start[0]),
                    settings.sampleSeconds(), settings.sampleSeconds(), TimeUnit.SECONDS);
            long end = start[0] + TimeUnit.SECONDS.toNanos(settings.seconds());
            // Node restarts on every full minute (a, b, a, ...), the server's half a minute after the middle
            long serverAt = settings.seconds() / 2 + 30;
            boolean serverDone = restartable == null;
            for (int k = 1; k * 60L < settings.seconds() - 10; k++) {
                if (!serverDone && serverAt < k * 60L) {
                    serverDone = restartServer(restartable, serverAt, start[0]);
                }
                sleepUntil(start[0] + TimeUnit.SECONDS.toNanos(k * 60L));
                int node = (k - 1) % 2;
                String name = node == 0 ? "a" : "b";
                events.add(new Event(since(start[0]), "SIGTERM node " + name, false));
                console.printf("  +%.0f s SIGTERM node %s, start it again%n", since(start[0]), name);
                up.set(node, 0);
                pair.restart(node, settings.out().resolve("logs").resolve("soak-" + name + "-restart" + k + ".log"));
                nodeOfPort.put(port(pair.url(node, "")), node);
                up.set(node, 1);
                events.add(new Event(since(start[0]), "node " + name + " serves again", false));
            }
            if (!serverDone && serverAt < settings.seconds()) {
                restartServer(restartable, serverAt, start[0]);
            }
            sleepUntil(end);
            total = load.get(120, TimeUnit.SECONDS);
        } finally {
            sampler.shutdownNow();
            loadThread.shutdownNow();
            sampler.awaitTermination(30, TimeUnit.SECONDS);
            loadThread.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private boolean restartServer(SharedServer s, long at, long start) throws Exception {
        sleepUntil(start + TimeUnit.SECONDS.toNanos(at));
        console.printf("  +%.0f s restart the store server%n", since(start));
        events.add(new Event(since(start), "store server restart", true));
        String what = StoreRestart.restart(s);
        events.add(new Event(since(start), "store server serves again", true));
        notes.add(what);
        console.println("  " + what);
        return true;
    }

    private void sample(NodePair pair, AtomicIntegerArray up, int storePort, AtomicLongArray served,
            AtomicLongArray errors, long start) {
        double t = since(start);
        for (int i = 0; i < 2; i++) {
            try {
                long pid = pair.pid(i);
                samples.add(new Sample(t, i, pid, up.get(i) == 1 ? heapMb(pair, i) : Double.NaN,
                        orNaN(ProcStats.threads(pid)), orNaN(ProcStats.fds(pid)),
                        storePort < 0 ? Double.NaN : orNaN(ProcStats.connections(pid, storePort)),
                        served.getAndSet(i, 0), errors.getAndSet(i, 0)));
            } catch (RuntimeException e) {
                // A failed sample must not end the sampling (the executor would drop every later run)
                failures.add("sample of node " + i + " at " + Math.round(t) + " s: " + e);
            }
        }
    }

    /** The node's heap in use after its last GC, MB; NaN when it does not answer (e.g. restarting). */
    private static double heapMb(NodePair pair, int node) {
        try {
            long bytes = Long.parseLong(new WebUser().get(pair.url(node, "/bench-heap")).text("afterGc"));
            return bytes < 0 ? Double.NaN : bytes / 1048576.0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static double orNaN(long v) {
        return v < 0 ? Double.NaN : v;
    }

    private static int port(String url) {
        return java.net.URI.create(url).getPort();
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
