package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.sessionstore.core.testkit.WebUser;

/**
 * The load generator, in its own JVM: {@code LoadMain key=value ...} runs one closed-loop load against a node pair and
 * prints one {@code RESULT key=value ...} line. Every user first creates its session on node A ({@code /count}, then a
 * {@code payload}-byte attribute), then loops: one {@code /change} (changes the session, through setAttribute and in
 * place, keeping its size) and {@code reads} {@code /read}s (read-only). Sticky users stay on A, the second node only
 * runs; round-robin users alternate.
 *
 * <p>Keys: {@code a}, {@code b} (node base URLs), {@code users}, {@code warmup}, {@code measure} (ms), {@code max}
 * (requests per user), {@code reads}, {@code payload} (bytes), {@code grown} (bytes of unchanged Strings and boxed
 * values per session, 0 by default), {@code roundRobin}, {@code pids} (the two nodes'
 * process ids, comma-separated: their CPU time is read at the measured window's start and end, and reported per request
 * served in it as {@code cpuA} and {@code cpuB}, µs, and without the JIT compiler threads' share as {@code cpuNoJitA}
 * and {@code cpuNoJitB}). With {@code rate} (requests per second), the load is open loop
 * instead ({@link LoadGenerator#runOpen}) over {@code sessions} sessions on up to {@code threads} connections;
 * {@code users} and {@code max} are then not used.
 */
public final class LoadMain {

    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String[] nodes = { o.get("a"), o.get("b") };
        int reads = Integer.parseInt(o.get("reads"));
        int payload = Integer.parseInt(o.get("payload"));
        int grown = Integer.parseInt(o.getOrDefault("grown", "0"));
        boolean roundRobin = Boolean.parseBoolean(o.get("roundRobin"));
        long[] before = new long[2];
        long[] pids = o.containsKey("pids") ? java.util.Arrays.stream(o.get("pids").split(","))
                .mapToLong(Long::parseLong).toArray() : new long[] { -1, -1 };
        long[] cpuBefore = new long[2];
        long[] cpuAfter = new long[2];
        List<Map<Long, ProcThreads.Counts>> threadsBefore = new ArrayList<>(List.of(Map.of(), Map.of()));
        List<Map<Long, ProcThreads.Counts>> threadsAfter = new ArrayList<>(List.of(Map.of(), Map.of()));
        long[] windowMillis = new long[2];
        java.util.function.IntFunction<LoadGenerator.User> users = i -> new LoadGenerator.User() {
            @Override
            public WebUser begin() throws Exception {
                WebUser u = new WebUser();
                WebUser.Reply reply = u.get(nodes[0] + "/count");
                if (reply.status() != 200 || u.sessionId() == null) {
                    throw new IllegalStateException("no session from " + nodes[0] + ": " + reply);
                }
                reply = u.get(nodes[0] + "/payload?bytes=" + payload + "&grown=" + grown);
                if (reply.status() != 200) {
                    throw new IllegalStateException("no payload stored on " + nodes[0] + ": " + reply);
                }
                return u;
            }

            @Override
            public String url(int n) {
                String node = roundRobin && n % 2 == 1 ? nodes[1] : nodes[0];
                return node + (n % (reads + 1) == 0 ? "/change" : "/read");
            }
        };
        Runnable afterBegin = () -> {
            // Counted from here on: the sessions' creation (and queued writes) are not part of the workload
            settle(nodes);
            long[] c = countersOrFail(nodes);
            before[0] = c[0];
            before[1] = c[1];
        };
        LoadGenerator.Window window = new LoadGenerator.Window() {
            @Override
            public void opened() {
                read(cpuBefore);
                windowMillis[0] = System.currentTimeMillis();
                for (int i = 0; i < 2; i++) {
                    threadsBefore.set(i, ProcThreads.snapshot(pids[i]));
                }
            }

            @Override
            public void closed() {
                read(cpuAfter);
                windowMillis[1] = System.currentTimeMillis();
                for (int i = 0; i < 2; i++) {
                    threadsAfter.set(i, ProcThreads.snapshot(pids[i]));
                }
            }

            private void read(long[] into) {
                for (int i = 0; i < 2; i++) {
                    into[i] = pids[i] < 0 ? -1 : ProcCpu.nanos(pids[i]);
                }
            }
        };
        long warmup = Long.parseLong(o.get("warmup"));
        long measure = Long.parseLong(o.get("measure"));
        LoadGenerator.Result r = o.containsKey("rate")
                ? LoadGenerator.runOpen(new LoadGenerator.OpenSettings(Integer.parseInt(o.get("sessions")),
                        Double.parseDouble(o.get("rate")), warmup, measure, Integer.parseInt(o.get("threads"))), users,
                        afterBegin, window)
                : LoadGenerator.run(new LoadGenerator.Settings(Integer.parseInt(o.get("users")), warmup, measure,
                        Integer.parseInt(o.get("max"))), users, afterBegin, window);
        long[] after = counters(nodes);
        double all = r.allRequests();
        // For a profile of the window (e.g. JFR recorded over the node's whole life): its wall-clock bounds, and
        // which of the nodes' threads spent their CPU in it
        System.out.println("WINDOW " + windowMillis[0] + " " + windowMillis[1]);
        for (int i = 0; i < 2; i++) {
            ProcThreads.perRequest(i == 0 ? "A" : "B", threadsBefore.get(i), threadsAfter.get(i),
                    r.requests() + r.errors()).forEach(System.out::println);
        }
        System.out.println(String.format(Locale.ROOT,
                "RESULT requests=%d errors=%d seconds=%.3f rps=%.3f p50=%.4f p99=%.4f all=%d writes=%s touches=%s"
                        + " cpuA=%.3f cpuB=%.3f cpuNoJitA=%.3f cpuNoJitB=%.3f",
                r.requests(), r.errors(), r.seconds(), r.perSecond(), r.p50Millis(), r.p99Millis(), r.allRequests(),
                ratio(after[0], before[0], all), ratio(after[1], before[1], all),
                // Every request that ended in the window, failed ones too: the node spent CPU on them as well
                ProcCpu.microsPerRequest(cpuBefore[0], cpuAfter[0], r.requests() + r.errors()),
                ProcCpu.microsPerRequest(cpuBefore[1], cpuAfter[1], r.requests() + r.errors()),
                ProcThreads.microsPerRequestWithoutCompiler(cpuBefore[0], cpuAfter[0], threadsBefore.get(0),
                        threadsAfter.get(0), r.requests() + r.errors()),
                ProcThreads.microsPerRequestWithoutCompiler(cpuBefore[1], cpuAfter[1], threadsBefore.get(1),
                        threadsAfter.get(1), r.requests() + r.errors())));
    }

    private static String ratio(long after, long before, double requests) {
        return after < 0 || before < 0 || requests <= 0 ? "NaN"
                : String.format(Locale.ROOT, "%.4f", (after - before) / requests);
    }

    /** Both nodes' {@code writes} and {@code touches} summed; {@code -1} when not counted. */
    static long[] counters(String[] nodes) throws Exception {
        long[] sum = new long[2];
        for (String n : nodes) {
            WebUser.Reply r = new WebUser().get(n + "/bench-stats");
            long w = Long.parseLong(r.text("writes"));
            long t = Long.parseLong(r.text("touches"));
            sum[0] = w < 0 || sum[0] < 0 ? -1 : sum[0] + w;
            sum[1] = t < 0 || sum[1] < 0 ? -1 : sum[1] + t;
        }
        return sum;
    }

    private static long[] countersOrFail(String[] nodes) {
        try {
            return counters(nodes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("node counters: " + e, e);
        }
    }

    /** Waits (at most 3 s) until the write counter stops moving, so asynchronous writes are not misattributed. */
    private static void settle(String[] nodes) {
        try {
            long last = counters(nodes)[0];
            if (last < 0) {
                return;
            }
            long deadline = System.nanoTime() + 3_000_000_000L;
            int still = 0;
            while (still < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                long now = counters(nodes)[0];
                still = now == last ? still + 1 : 0;
                last = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("node counters: " + e, e);
        }
    }
}
