package io.github.sessionstore.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The one-command comparison: JMH store benchmarks (every backend, next to its raw-client floor, one fork per trial),
 * then the HTTP comparison: every setup (Tomcat's own managers, Redisson's, ours on every backend) in fresh node JVMs
 * with the load generator in its own, over interleaved rounds. Prints the tables and writes
 * {@code results/<timestamp>/} (raw JMH JSON, CSVs, report.md, chart.svg, the processes' logs). By default only the
 * headline: the HTTP comparison of the ceilings, ours on every backend and Redisson.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar                 headline (about 10 minutes on 2 cores)
 * java -jar benchmarks/target/benchmarks.jar --quick         every part: JMH, every peer and variant, scale (30 min)
 * java -jar benchmarks/target/benchmarks.jar --full          longer, more forks and iterations
 * java -jar benchmarks/target/benchmarks.jar --smoke         one very short iteration each (harness check)
 *   options: --out DIR   --backends FILE,MEMCACHED,...   --no-jmh   --no-http   --no-scale
 *            --only PART[,PART...] (the setups whose name contains one of them)   --rounds N
 *            --open-loop [--sessions N] [--rate R]: also the second workload (many sessions, open loop at R req/s)
 *   -Dsessionstore.bench.verbose=true keeps Tomcat's INFO logging
 * java -jar benchmarks/target/benchmarks.jar --soak 10m   soak, not for CI: restarts under steady load (Soak)
 *   options: --backends X (one; default REDIS, else FILE)   --rate R   --sessions N   --out DIR
 * java -jar benchmarks/target/benchmarks.jar jmh [JMH args]  plain JMH (e.g. jmh StoreBenchmark.save -p size=1024)
 * </pre>
 */
public final class Compare {

    /**
     * How long and how precisely. HEADLINE (the default) runs the HTTP comparison of the ceilings, ours on every
     * backend (write-through) and Redisson only, as QUICK runs them; QUICK and FULL run every part.
     */
    public enum Level {
        SMOKE, HEADLINE, QUICK, FULL
    }

    static final String[] OPS = { "save", "load", "check", "touch", "unchanged" };

    private final Level level;
    private final Path out;
    private final List<Backend> backends;
    private final boolean jmh;
    private final boolean http;
    private boolean scale = true;
    private final PrintStream console;
    private String only;
    /** HTTP rounds when set by --rounds (e.g. one, to check a setup), else the level's. */
    private int roundsOverride = -1;
    /** --session-kb: every HTTP session also holds this many KB of unchanged Strings and boxed values. */
    private int sessionKb;
    private int step;
    private int steps;

    final List<RunResult> jmhResults = new ArrayList<>();
    final List<HttpComparison.HttpRow> httpRows = new ArrayList<>();
    /** The open-loop workload's rows (empty without --open-loop). */
    final List<HttpComparison.HttpRow> openRows = new ArrayList<>();
    /** The open-loop workload's settings, or {@code null} when it does not run. */
    HttpComparison.OpenLoad openLoad;
    final List<HttpComparison.VisibilityRow> visibilityRows = new ArrayList<>();
    final List<HttpComparison.KillRow> killRows = new ArrayList<>();
    /** Per HTTP setup name, the setup (its kind, Tomcat line, backend). */
    final Map<String, ServerSetups.Setup> setupsByName = new java.util.LinkedHashMap<>();
    final List<String[]> labels = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final String loadAtStart = Report.loadAverage();
    final List<String> skippedBackends = new ArrayList<>();
    final List<ScaleRun.Row> scaleRows = new ArrayList<>();
    /** Per backend, the short note next to each of its numbers (server version, stand-in or not). */
    final Map<Backend, String> tags = new EnumMap<>(Backend.class);
    /** Per backend, what ran (server, version, command). */
    final Map<Backend, String> servers = new EnumMap<>(Backend.class);
    /** What Redisson's rows ran on, or {@code null}. */
    String peerServer;

    Compare(Level level, Path out, List<Backend> backends, boolean jmh, boolean http, PrintStream console) {
        this.level = level;
        this.out = out;
        this.backends = backends;
        this.jmh = jmh;
        this.http = http;
        this.console = console;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(Arrays.asList(args).contains("--soak") ? Soak.run(args, System.out) : run(args, System.out));
    }

    /** Runs the comparison; returns the process exit code (non-zero when any part failed). */
    public static int run(String[] args, PrintStream console) throws Exception {
        Level level = Level.HEADLINE;
        Path out = null;
        List<Backend> backends = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Backend b : Backend.values()) {
            String why = b.unavailableReason();
            if (why == null) {
                backends.add(b);
            } else {
                skipped.add(b + " (" + why + ")");
            }
        }
        boolean jmh = true;
        boolean http = true;
        boolean scale = true;
        String only = null;
        boolean openLoop = false;
        int sessions = -1;
        double rate = -1;
        int rounds = -1;
        int sessionKb = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> level = Level.SMOKE;
                case "--quick" -> level = Level.QUICK;
                case "--full" -> level = Level.FULL;
                case "--no-jmh" -> jmh = false;
                case "--no-http" -> http = false;
                case "--no-scale" -> scale = false;
                case "--only" -> only = value(args, ++i, "--only");
                case "--open-loop" -> openLoop = true;
                case "--rounds" -> rounds = positive(Double.parseDouble(value(args, ++i, "--rounds")), "--rounds")
                        .intValue();
                case "--sessions" -> sessions = positive(Double.parseDouble(value(args, ++i, "--sessions")),
                        "--sessions").intValue();
                case "--rate" -> rate = positive(Double.parseDouble(value(args, ++i, "--rate")), "--rate");
                case "--session-kb" -> sessionKb = positive(Double.parseDouble(value(args, ++i, "--session-kb")),
                        "--session-kb").intValue();
                case "--out" -> out = Paths.get(value(args, ++i, "--out"));
                case "--backends" -> {
                    backends.clear();
                    skipped.clear();
                    for (String b : value(args, ++i, "--backends").split(",")) {
                        backends.add(Backend.valueOf(b.trim().toUpperCase(Locale.ROOT)));
                    }
                }
                case "-h", "--help" -> {
                    console.println("usage: java -jar benchmarks.jar [--smoke|--quick|--full] [--out DIR] "
                            + "[--backends " + Arrays.toString(Backend.values()) + "] [--no-jmh] [--no-http] [--no-scale] "
                            + "[--only PART,...] [--rounds N] [--open-loop [--sessions N] [--rate R]] [--session-kb N]\n"
                            + "       java -jar benchmarks.jar --soak DURATION [--backends X] [--rate R] [--sessions N] "
                            + "[--out DIR]\n"
                            + "       java -jar benchmarks.jar jmh [JMH options]");
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (out == null) {
            out = defaultResultsDir().resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(out);
        if (!Boolean.getBoolean("sessionstore.bench.verbose")) {
            Logs.quiet();
        }
        // The headline is the HTTP comparison: no JMH, no scale run (--quick has them)
        Compare c = new Compare(level, out, backends, jmh && level != Level.HEADLINE, http, console);
        c.sessionKb = sessionKb;
        c.only = only;
        c.roundsOverride = rounds;
        c.scale = scale && level != Level.HEADLINE;
        if (openLoop) {
            HttpComparison.OpenLoad o = c.openLoadDefaults();
            c.openLoad = new HttpComparison.OpenLoad(sessions > 0 ? sessions : o.sessions(), rate > 0 ? rate : o.rate(),
                    o.warmupMillis(), o.measureMillis());
        }
        c.skippedBackends.addAll(skipped);
        skipped.forEach(b -> console.println("skipping backend " + b));
        long t0 = System.nanoTime();
        c.runAll();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Report.write(c, seconds);
        if (!c.failures.isEmpty()) {
            console.println("FAILED parts:");
            c.failures.forEach(f -> console.println("  " + f));
            return 1;
        }
        return 0;
    }

    /** {@code benchmarks/results} when run from the repository root, else {@code results} here. */
    private static Path defaultResultsDir() {
        Path module = Paths.get("benchmarks");
        return Files.isDirectory(module.resolve("src")) ? module.resolve("results") : Paths.get("results");
    }

    /** {@code v} when it is at least 1 (rounds, sessions, rate); else the option is refused. */
    static Double positive(double v, String option) {
        if (!(v >= 1)) {
            throw new IllegalArgumentException(option + " needs a number of at least 1, not " + v);
        }
        return v;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    Level level() {
        return level;
    }

    Path out() {
        return out;
    }

    PrintStream console() {
        return console;
    }

    List<Backend> backends() {
        return backends;
    }

    private final long started = System.nanoTime();

    private void progress(String what) {
        console.printf("[%d/%d] %s (+%d s)%n", ++step, steps, what, (System.nanoTime() - started) / 1_000_000_000L);
        console.flush();
    }

    /** The setups this run measures over HTTP: Tomcat 11's, then Tomcat 10.1's (when its jar was built). */
    List<ServerSetups.Setup> setups() {
        List<ServerSetups.Setup> setups = new ArrayList<>();
        if (!http) {
            return setups;
        }
        setups.addAll(level == Level.HEADLINE ? ServerSetups.headline(backends)
                : ServerSetups.all(backends, level == Level.FULL));
        String no10 = Jvm.tomcat10Unavailable();
        if (no10 == null) {
            setups.addAll(level == Level.HEADLINE ? Peers.headline() : Peers.all(backends));
        } else if (!skippedBackends.contains("Tomcat 10.1 setups (" + no10 + ")")) {
            skippedBackends.add("Tomcat 10.1 setups (" + no10 + ")");
        }
        if (Peers.redisUnavailable() != null && !skippedBackends.contains("Redisson (" + Peers.redisUnavailable() + ")")) {
            skippedBackends.add("Redisson (" + Peers.redisUnavailable() + ")");
        }
        if (only != null) {
            List<String> parts = List.of(only.split(","));
            setups.removeIf(s -> parts.stream().noneMatch(s.name()::contains));
        }
        return setups;
    }

    /** Interleaved rounds of the HTTP setups: A B C ... A B C. */
    int rounds() {
        if (roundsOverride > 0) {
            return roundsOverride;
        }
        return switch (level) {
            case SMOKE -> 1;
            case HEADLINE, QUICK -> 3;
            case FULL -> 5;
        };
    }

    /** Total progress steps of this run. */
    int steps() {
        int n = backends.size(); // starting the servers (or describing the backend)
        n += jmh ? OPS.length * sizes().length : 0;
        n += setups().size() * rounds() * (openLoad == null ? 1 : 2);
        return n + (scale ? backends.size() : 0);
    }

    void runAll() {
        steps = steps();
        console.printf("sessionstore comparison, %s mode, %d steps, results in %s%n", level.name().toLowerCase(),
                steps, out);
        List<SharedServer> started = new ArrayList<>();
        try {
            startServers(started);
            // A backend whose server did not start is dropped (its failure is reported), not retried per trial
            List<ServerSetups.Setup> setups = setups();
            if (jmh) {
                runJmh();
            }
            if (!setups.isEmpty()) {
                runHttp(setups, started);
            }
            if (scale) {
                runScale();
            }
        } finally {
            // Every server this run started is stopped, also after a failure
            for (Backend b : backends) {
                System.clearProperty(SharedServer.property(b));
            }
            for (SharedServer s : started) {
                try {
                    s.close();
                } catch (Exception e) {
                    failures.add("stopping " + s.description() + ": " + e);
                }
            }
        }
    }

    /** One server per backend for the whole run (JMH trials, forks and HTTP setups share it). */
    private void startServers(List<SharedServer> started) {
        List<Backend> failed = new ArrayList<>();
        for (Backend b : backends) {
            progress("backend " + b + ": start its server, if it has one");
            try {
                SharedServer s = b.startServer();
                if (s == null) {
                    tags.put(b, b.tag());
                    console.println("  no server (" + b.tag() + ")");
                    continue;
                }
                started.add(s);
                System.setProperty(SharedServer.property(b), s.encode());
                tags.put(b, s.tag());
                servers.put(b, s.description());
                console.println("  " + s.description());
            } catch (Exception | LinkageError e) {
                failures.add("starting " + b + ": " + e);
                console.println("  FAILED: " + e);
                failed.add(b);
            }
        }
        backends.removeAll(failed);
    }

    /** Per HTTP setup name, the backend whose server it ran on (for the tag next to its numbers). */
    final Map<String, Backend> setupBackends = new java.util.HashMap<>();

    /** {@code setup (server tag)} for setups on a backend server, e.g. the stand-in's "not MongoDB". */
    String setupLabel(String setup) {
        Backend b = setupBackends.get(setup);
        return b == null || !servers.containsKey(b) ? setup : setup + " (" + tags.get(b) + ")";
    }

    /** {@code BACKEND (tag)}: how a backend appears next to its numbers. */
    String backendLabel(String backend) {
        try {
            String tag = tags.getOrDefault(Backend.valueOf(backend), "");
            return tag.isEmpty() ? backend : backend + " (" + tag + ")";
        } catch (IllegalArgumentException e) {
            return backend;
        }
    }

    private void runScale() {
        ScaleRun.Settings settings = switch (level) {
            case SMOKE -> new ScaleRun.Settings(2_000, 200, 20);
            case HEADLINE, QUICK -> new ScaleRun.Settings(100_000, 1_000, 1_000);
            case FULL -> new ScaleRun.Settings(1_000_000, 1_000, 2_000);
        };
        for (Backend b : backends) {
            progress("scale " + b + ": " + settings.total() + " stored sessions (1% expired), one processExpires(); "
                    + settings.saves() + " saves at " + settings.small() + " and at " + settings.total() + " stored");
            try {
                scaleRows.add(ScaleRun.run(b, settings, console, level == Level.FULL ? null : tmpfs()));
            } catch (Exception | LinkageError e) {
                failures.add("scale " + b + ": " + e);
                console.println("  FAILED: " + e);
            }
        }
    }

    /** /dev/shm when it is a writable directory, else null. */
    private static Path tmpfs() {
        Path shm = Paths.get("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : null;
    }

    /** Payload sizes: 1 KB, 16 KB, 256 KB in full mode; the two ends in quick; 1 KB only in smoke. */
    String[] sizes() {
        return switch (level) {
            case SMOKE -> new String[] { "1024" };
            case HEADLINE, QUICK -> new String[] { "1024", "262144" };
            case FULL -> new String[] { "1024", "16384", "262144" };
        };
    }

    /** The forked JMH JVMs' arguments: the annotation's, plus the run's shared servers. */
    private String[] forkArgs() {
        List<String> args = new ArrayList<>(List.of("-Xmx1g", "-Djava.util.logging.config.file=/dev/null",
                "-Dnet.spy.log.LoggerImpl=io.github.sessionstore.memcached.JuliSpyLogger"));
        for (Backend b : backends) {
            String p = System.getProperty(SharedServer.property(b));
            if (p != null) {
                args.add("-D" + SharedServer.property(b) + "=" + p);
            }
        }
        return args.toArray(new String[0]);
    }

    private void runJmh() {
        String backendNames = String.join(",", backends.stream().map(Enum::name).toList());
        for (String op : OPS) {
            for (String size : sizes()) {
                String[] impls = op.equals("unchanged") ? new String[] { "store" } : new String[] { "store", "floor" };
                progress("jmh " + op + ", payload " + size + " B, " + backendNames + ", " + String.join("+", impls));
                ChainedOptionsBuilder o = new OptionsBuilder()
                        .include(StoreBenchmark.class.getName() + "\\." + op + "$")
                        .param("backend", backends.stream().map(Enum::name).toArray(String[]::new))
                        .param("size", size)
                        .param("impl", impls)
                        .timeUnit(TimeUnit.MICROSECONDS)
                        .shouldFailOnError(true)
                        .verbosity(VerboseMode.SILENT)
                        .jvmArgsAppend(forkArgs());
                switch (level) {
                    // Every mode forks: a trial inside this JVM would run on whatever the earlier trials warmed
                    case SMOKE -> o.forks(1).warmupIterations(0).measurementIterations(1)
                            .measurementTime(TimeValue.milliseconds(100)).mode(Mode.SampleTime);
                    case HEADLINE, QUICK -> o.forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                            .measurementIterations(2).measurementTime(TimeValue.milliseconds(500))
                            .mode(Mode.SampleTime);
                    case FULL -> o.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                            .measurementIterations(5).measurementTime(TimeValue.seconds(2)).mode(Mode.AverageTime)
                            .mode(Mode.SampleTime);
                }
                try {
                    jmhResults.addAll(new Runner(o.build()).run());
                } catch (Exception e) {
                    failures.add("jmh " + op + " " + size + ": " + e);
                    console.println("  FAILED: " + e);
                }
            }
        }
    }

    /*
     * Warm-up: on 2 cores under this load, the nodes' C2 compiler still takes a fifth to a third of node A's CPU 20 s
     * after start (async-profiler); after a 2 s warm-up the rounds measured mostly how much code each setup had left
     * to compile. The headline and quick modes wait 8 s, full mode 20 s. The headline's 10 minutes are its setups x
     * rounds x (warm-up + measured + about 5 s to start, fill and stop the nodes).
     */
    HttpComparison.Load load() {
        HttpComparison.Load load = switch (level) {
            case SMOKE -> new HttpComparison.Load(4, 4, 2048, 300, 1_500, 5_000, 0);
            case HEADLINE, QUICK -> new HttpComparison.Load(16, 4, 2048, 8_000, 4_000, 100_000, 0);
            case FULL -> new HttpComparison.Load(16, 4, 2048, 20_000, 20_000, 1_000_000, 0);
        };
        return load.grownBy(sessionKb * 1024);
    }

    /**
     * The second workload: thousands of sessions, each thinking seconds between its requests, at a fixed rate below
     * every setup's saturation on 2 cores (Redisson's closed loop served about 200 req/s there).
     */
    HttpComparison.OpenLoad openLoadDefaults() {
        return switch (level) {
            case SMOKE -> new HttpComparison.OpenLoad(200, 50, 500, 2_000);
            case HEADLINE, QUICK -> new HttpComparison.OpenLoad(2_000, 100, 8_000, 10_000);
            case FULL -> new HttpComparison.OpenLoad(5_000, 100, 20_000, 30_000);
        };
    }

    private int visibilitySamples() {
        return switch (level) {
            case SMOKE -> 3;
            case HEADLINE, QUICK -> 30;
            case FULL -> 300;
        };
    }

    int killSessions() {
        return switch (level) {
            case SMOKE -> 5;
            case HEADLINE, QUICK -> 30;
            case FULL -> 100;
        };
    }

    /**
     * Every setup in fresh node JVMs, round after round (A B C ... A B C); the first round also measures visibility
     * and the SIGKILL check, after its load.
     */
    private void runHttp(List<ServerSetups.Setup> setups, List<SharedServer> started) {
        if (setups.stream().anyMatch(s -> s.name().startsWith("redisson"))) {
            try {
                // The REDIS backend's server when it runs (then acquire does not own it), else Redisson's own
                SharedServer redis = Peers.redis();
                started.add(redis);
                System.setProperty(Peers.REDIS_PROPERTY, redis.endpoint());
                peerServer = redis.description();
                console.println("  Redisson's server: " + redis.description());
            } catch (Exception e) {
                failures.add("starting redis-server for Redisson: " + e);
                console.println("  FAILED: " + e);
                setups = setups.stream().filter(s -> !s.name().startsWith("redisson")).toList();
                step += rounds();
            }
        }
        HttpComparison.Load load = load();
        Map<String, List<HttpComparison.Sample>> samples = new java.util.LinkedHashMap<>();
        for (ServerSetups.Setup s : setups) {
            setupsByName.put(s.name(), s);
            labels.add(new String[] { s.name(), s.label() });
            if (s.backend() != null) {
                setupBackends.put(s.name(), s.backend());
            }
            samples.put(s.name(), new ArrayList<>());
        }
        Path logs = out.resolve("logs");
        for (int round = 0; round < rounds(); round++) {
            for (ServerSetups.Setup setup : setups) {
                progress("http round " + (round + 1) + "/" + rounds() + " " + setup.name() + ": " + load.users()
                        + " users, 1 change + " + load.reads() + " reads" + (round == 0 ? ", then visibility and"
                        + " SIGKILL check" : ""));
                String tag = "r" + (round + 1);
                try (ServerSetups.Shared shared = setup.prepare();
                        NodePair pair = NodePair.start(setup, shared, logs, tag)) {
                    samples.get(setup.name()).add(HttpComparison.load(setup, pair, load, round,
                            logs.resolve(setup.name() + "-" + tag + "-load.log")));
                    if (round == 0) {
                        if (setup.shared()) {
                            visibilityRows.add(HttpComparison.visibility(setup, pair, visibilitySamples(), 2_000));
                        }
                        killRows.add(HttpComparison.killCheck(setup, pair, killSessions(), load.payload()));
                    }
                } catch (Exception | LinkageError e) {
                    failures.add("http " + setup.name() + " round " + (round + 1) + ": " + e);
                    console.println("  FAILED: " + e);
                }
            }
        }
        samples.forEach((name, list) -> {
            if (!list.isEmpty()) {
                httpRows.add(new HttpComparison.HttpRow(name, list));
            }
        });
        if (openLoad != null) {
            runOpenLoop(setups, load, logs);
        }
    }

    /** The second workload, after the first: every setup in fresh node JVMs again, round after round (A B C ...). */
    private void runOpenLoop(List<ServerSetups.Setup> setups, HttpComparison.Load load, Path logs) {
        Map<String, List<HttpComparison.Sample>> samples = new java.util.LinkedHashMap<>();
        setups.forEach(s -> samples.put(s.name(), new ArrayList<>()));
        for (int round = 0; round < rounds(); round++) {
            for (ServerSetups.Setup setup : setups) {
                progress("open loop round " + (round + 1) + "/" + rounds() + " " + setup.name() + ": "
                        + openLoad.sessions() + " sessions, " + HttpSummary.num(openLoad.rate()) + " req/s");
                String tag = "open-r" + (round + 1);
                try (ServerSetups.Shared shared = setup.prepare();
                        NodePair pair = NodePair.start(setup, shared, logs, tag)) {
                    samples.get(setup.name()).add(HttpComparison.openLoad(setup, pair, load, openLoad, round,
                            logs.resolve(setup.name() + "-" + tag + "-load.log")));
                } catch (Exception | LinkageError e) {
                    failures.add("open loop " + setup.name() + " round " + (round + 1) + ": " + e);
                    console.println("  FAILED: " + e);
                }
            }
        }
        samples.forEach((name, list) -> {
            if (!list.isEmpty()) {
                openRows.add(new HttpComparison.HttpRow(name, list));
            }
        });
    }
}
