package io.github.sessionstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.sessionstore.core.testkit.WebUser;

/**
 * What one setup does over HTTP, on its node processes ({@link NodePair}): its throughput under the load generator's
 * process ({@link LoadMain}), how soon the other node sees a change, and whether in-place changes survive a SIGKILL.
 */
final class HttpComparison {

    /**
     * The load: users, read-only requests per changing one, the session's payload, and how long; {@code grown}: bytes
     * of {@code String}s and boxed values every session also holds, set once and never changed (0: none).
     */
    record Load(int users, int reads, int payload, long warmupMillis, long measureMillis, int maxRequestsPerUser,
            int grown) {

        Load grownBy(int bytes) {
            return new Load(users, reads, payload, warmupMillis, measureMillis, maxRequestsPerUser, bytes);
        }
    }

    /**
     * The second workload, open loop: {@code sessions} sessions, one request every {@code 1/rate} s to them in turn
     * (each session thinks {@code sessions/rate} s), the same requests and payload as {@link Load}.
     */
    record OpenLoad(int sessions, double rate, long warmupMillis, long measureMillis) {
        /** Connections at once: enough that a request waits for its due time, not for a free connection. */
        int threads() {
            return 64;
        }
    }

    /**
     * One round's measurement of one setup ({@code writes}/{@code touches} per request: NaN when not counted;
     * {@code cpuA}/{@code cpuB}: each node's CPU µs per request served in the measured window, NaN without /proc;
     * {@code cpuNoJitA}/{@code cpuNoJitB}: the same less the JIT compiler threads' CPU, NaN without /proc/pid/task).
     */
    record Sample(int round, double perSecond, double p50Millis, double p99Millis, long requests, long errors, double writes,
            double touches, double cpuA, double cpuB, double cpuNoJitA, double cpuNoJitB) {
        /** Both nodes' CPU µs per request: what the setup costs the cluster. */
        double cpu() {
            return cpuA + cpuB;
        }

        /** Both nodes' CPU µs per request without the JIT compiler's: the steady-state cost. */
        double cpuWithoutJit() {
            return cpuNoJitA + cpuNoJitB;
        }
    }

    /** A setup's samples, one per round, in round order. */
    record HttpRow(String setup, List<Sample> samples) {
        double[] perSecond() {
            return samples.stream().mapToDouble(Sample::perSecond).toArray();
        }

        /** {@code f} of this setup's sample in {@code round}, or NaN. */
        double of(int round, java.util.function.ToDoubleFunction<Sample> f) {
            return samples.stream().filter(x -> x.round() == round).mapToDouble(f).findFirst().orElse(Double.NaN);
        }

        double[] all(java.util.function.ToDoubleFunction<Sample> f) {
            return samples.stream().mapToDouble(f).toArray();
        }

        double median(java.util.function.ToDoubleFunction<Sample> f) {
            return Stats.median(samples.stream().mapToDouble(f).toArray());
        }

        long errors() {
            return samples.stream().mapToLong(Sample::errors).sum();
        }
    }

    /** {@code unseen}: what node B last answered for the samples it did not serve in time, e.g. "none:2 count=0:1". */
    record VisibilityRow(String setup, int samples, int visible, double p50Millis, double p99Millis,
            double maxMillis, String unseen) {
    }

    /**
     * After node A served {@code sessions} sessions and was SIGKILLed: how many node B still had, and how many with
     * the change made in place (no setAttribute) in A's last request.
     */
    record KillRow(String setup, int sessions, int sessionKept, int inPlaceKept) {
    }

    private HttpComparison() {
    }

    /** Runs the load generator's process against {@code pair}; bounded by the load's length plus two minutes. */
    static Sample load(ServerSetups.Setup setup, NodePair pair, Load load, int round, Path log) throws Exception {
        List<String> args = List.of("a=" + pair.url(0, ""), "b=" + pair.url(1, ""), "users=" + load.users(),
                "warmup=" + load.warmupMillis(), "measure=" + load.measureMillis(),
                "max=" + load.maxRequestsPerUser(), "reads=" + load.reads(), "payload=" + load.payload(),
                "grown=" + load.grown(), "roundRobin=" + setup.roundRobin(), "pids=" + pair.pid(0) + "," + pair.pid(1));
        return run(setup, args, load.warmupMillis() + load.measureMillis(), round, log);
    }

    /** The open-loop workload ({@link OpenLoad}) against {@code pair}, with the closed loop's requests and payload. */
    static Sample openLoad(ServerSetups.Setup setup, NodePair pair, Load load, OpenLoad open, int round, Path log)
            throws Exception {
        List<String> args = List.of("a=" + pair.url(0, ""), "b=" + pair.url(1, ""), "sessions=" + open.sessions(),
                "rate=" + open.rate(), "threads=" + open.threads(), "warmup=" + open.warmupMillis(),
                "measure=" + open.measureMillis(), "reads=" + load.reads(), "payload=" + load.payload(),
                "grown=" + load.grown(), "roundRobin=" + setup.roundRobin(), "pids=" + pair.pid(0) + "," + pair.pid(1));
        return run(setup, args, open.warmupMillis() + open.measureMillis(), round, log);
    }

    private static Sample run(ServerSetups.Setup setup, List<String> args, long loadMillis, int round, Path log)
            throws Exception {
        Process p = new ProcessBuilder(Jvm.command(ServerSetups.Line.TOMCAT_11, "512m", LoadMain.class, List.of(),
                args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long limit = loadMillis + 180_000;
            if (!p.waitFor(limit, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(setup.name() + ": the load generator did not finish in " + limit
                        + " ms: " + NodePair.tail(log));
            }
        } finally {
            p.destroyForcibly();
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("RESULT ")) {
                Map<String, String> f = new TreeMap<>();
                for (String kv : line.substring(7).split(" ")) {
                    f.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
                return new Sample(round, Double.parseDouble(f.get("rps")), Double.parseDouble(f.get("p50")),
                        Double.parseDouble(f.get("p99")), Long.parseLong(f.get("requests")),
                        Long.parseLong(f.get("errors")), Double.parseDouble(f.get("writes")),
                        Double.parseDouble(f.get("touches")), Double.parseDouble(f.getOrDefault("cpuA", "NaN")),
                        Double.parseDouble(f.getOrDefault("cpuB", "NaN")),
                        Double.parseDouble(f.getOrDefault("cpuNoJitA", "NaN")),
                        Double.parseDouble(f.getOrDefault("cpuNoJitB", "NaN")));
            }
        }
        throw new IllegalStateException(setup.name() + ": the load generator printed no result (exit "
                + p.exitValue() + "): " + NodePair.tail(log));
    }

    /**
     * Failover visibility: a fresh session is changed on node A; from A's response, how long until node B serves
     * it. Polls B back to back, each sample bounded by {@code timeoutMillis}.
     */
    static VisibilityRow visibility(ServerSetups.Setup setup, NodePair pair, int samples, long timeoutMillis)
            throws Exception {
        List<Long> seen = new ArrayList<>();
        Map<String, Integer> unseen = new TreeMap<>();
        for (int i = 0; i < samples; i++) {
            WebUser u = new WebUser();
            WebUser.Reply r = u.get(pair.url(0, "/count"));
            long t0 = System.nanoTime();
            if (r.status() != 200 || r.field("count") != 1) {
                throw new IllegalStateException(setup.name() + ": unexpected reply from node a: " + r);
            }
            long deadline = t0 + timeoutMillis * 1_000_000L;
            String last = "no reply";
            boolean ok = false;
            for (int polls = 0; polls < 100_000 && System.nanoTime() < deadline; polls++) {
                WebUser.Reply b = u.get(pair.url(1, "/read"));
                if (b.status() == 200 && b.field("count") >= 1) {
                    seen.add(System.nanoTime() - t0);
                    ok = true;
                    break;
                }
                last = b.status() != 200 ? "http-" + b.status() : b.text("count") == null ? "none" : "count=0";
            }
            if (!ok) {
                unseen.merge(last, 1, Integer::sum);
            }
        }
        long[] lat = seen.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(lat);
        return new VisibilityRow(setup.name(), samples, lat.length, LoadGenerator.pct(lat, 50),
                LoadGenerator.pct(lat, 99), lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6,
                unseen.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                        .collect(Collectors.joining(" ")));
    }

    /**
     * The correctness column: {@code sessions} users each create a session on node A ({@code /count}, a payload),
     * then change it in place only ({@code /inplace}: the list grows to 2, no setAttribute). Right after the last
     * response, node A is SIGKILLed, and every user asks node B. Kills node A: run it last on a pair.
     */
    static KillRow killCheck(ServerSetups.Setup setup, NodePair pair, int sessions, int payload) throws Exception {
        List<WebUser> users = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            WebUser u = new WebUser();
            WebUser.Reply r = u.get(pair.url(0, "/count"));
            u.get(pair.url(0, "/payload?bytes=" + payload));
            WebUser.Reply in = u.get(pair.url(0, "/inplace"));
            if (r.status() != 200 || in.field("list") < 2) {
                throw new IllegalStateException(setup.name() + ": node a did not change the session in place: " + r
                        + " / " + in);
            }
            users.add(u);
        }
        pair.kill(0);
        int kept = 0;
        int inPlace = 0;
        for (WebUser u : users) {
            WebUser.Reply b = u.get(pair.url(1, "/read"));
            if (b.status() == 200 && b.field("count") >= 1) {
                kept++;
                if (b.field("list") >= 2) {
                    inPlace++;
                }
            }
        }
        return new KillRow(setup.name(), sessions, kept, inPlace);
    }
}
