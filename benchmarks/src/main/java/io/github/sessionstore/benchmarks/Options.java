package io.github.sessionstore.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@link Compare}: what to run and for how long. {@link #parse} reads the comparison's options,
 * {@link #soak} the soak's; both refuse an unknown option or a bad value with one line naming it.
 *
 * @param level     how long and how precisely
 * @param out       where the results go ({@code --out}, else a new timestamped directory under results/)
 * @param backends  the backends to run: {@code --backends}, else every one available here
 * @param skipped   the backends left out because they cannot run here, each with its reason
 * @param jmh       whether the JMH store benchmarks run (never in the headline)
 * @param http      whether the HTTP comparison runs
 * @param scale     whether the scale run runs (never in the headline)
 * @param only      {@code --only}: the HTTP setups whose name contains one of these comma-separated parts, or null
 * @param openLoad  the second workload (by default in the headline, {@code --open-loop} in the other modes), or
 *                  {@code null} when it does not run ({@code --no-open-loop})
 * @param rounds    interleaved HTTP rounds: {@code --rounds}, else the level's
 * @param sessionKb {@code --session-kb}: every HTTP session also holds this many KB of unchanged Strings and boxed
 *                  values
 * @param help      {@code --help}: print {@link #USAGE}, run nothing
 */
record Options(Level level, Path out, List<Backend> backends, List<String> skipped, boolean jmh, boolean http,
        boolean scale, String only, HttpComparison.OpenLoad openLoad, int rounds, int sessionKb, boolean help) {

    static final String USAGE = "usage: java -jar benchmarks.jar [--smoke|--quick|--full] [--out DIR] "
            + "[--backends " + Arrays.toString(Backend.values()) + "] [--no-jmh] [--no-http] [--no-scale] "
            + "[--only PART,...] [--rounds N] [--open-loop|--no-open-loop] [--sessions N] [--rate R] [--session-kb N]\n"
            + "       java -jar benchmarks.jar --soak DURATION [--backends X] [--rate R] [--sessions N] "
            + "[--out DIR]\n"
            + "       java -jar benchmarks.jar jmh [JMH options]";

    /** The comparison's options; the first {@code --help} stops the parsing. */
    static Options parse(String[] args) {
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
        Boolean openLoop = null;
        int sessions = -1;
        double rate = -1;
        int rounds = -1;
        int sessionKb = 0;
        boolean help = false;
        for (int i = 0; i < args.length && !help; i++) {
            switch (args[i]) {
                case "--smoke" -> level = Level.SMOKE;
                case "--quick" -> level = Level.QUICK;
                case "--full" -> level = Level.FULL;
                case "--no-jmh" -> jmh = false;
                case "--no-http" -> http = false;
                case "--no-scale" -> scale = false;
                case "--only" -> only = value(args, ++i, "--only");
                case "--open-loop" -> openLoop = true;
                case "--no-open-loop" -> openLoop = false;
                case "--rounds" -> rounds = (int) positive(args, ++i, "--rounds");
                case "--sessions" -> sessions = (int) positive(args, ++i, "--sessions");
                case "--rate" -> rate = positive(args, ++i, "--rate");
                case "--session-kb" -> sessionKb = (int) positive(args, ++i, "--session-kb");
                case "--out" -> out = Paths.get(value(args, ++i, "--out"));
                case "--backends" -> {
                    backends.clear();
                    skipped.clear();
                    for (String b : value(args, ++i, "--backends").split(",")) {
                        backends.add(backend(b));
                    }
                }
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        HttpComparison.OpenLoad open = null;
        // The headline shows both workloads; the other modes run the open loop when asked
        if (openLoop != null ? openLoop : level == Level.HEADLINE) {
            HttpComparison.OpenLoad o = level.openLoad;
            open = new HttpComparison.OpenLoad(sessions > 0 ? sessions : o.sessions(), rate > 0 ? rate : o.rate(),
                    o.warmupMillis(), o.measureMillis());
        }
        // The headline is the HTTP comparison: no JMH, no scale run (--quick has them)
        return new Options(level, out != null ? out : timestamped(""), List.copyOf(backends), List.copyOf(skipped),
                jmh && level != Level.HEADLINE, http, scale && level != Level.HEADLINE, only, open,
                rounds > 0 ? rounds : level.rounds, sessionKb, help);
    }

    /** {@code --soak DURATION [--backends X] [--rate R] [--sessions N] [--out DIR]}: the soak's settings. */
    static Soak.Settings soak(String[] args) {
        long seconds = -1;
        Backend backend = Backend.REDIS.unavailableReason() == null ? Backend.REDIS : Backend.FILE;
        int sessions = 500;
        double rate = 50;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--soak" -> seconds = duration(value(args, ++i, "--soak"));
                case "--backends" -> backend = backend(value(args, ++i, "--backends"));
                case "--rate" -> rate = positive(args, ++i, "--rate");
                case "--sessions" -> sessions = (int) positive(args, ++i, "--sessions");
                case "--out" -> out = Paths.get(value(args, ++i, "--out"));
                default -> throw new IllegalArgumentException("unknown option with --soak: " + args[i]
                        + " (--soak DURATION [--backends X] [--rate R] [--sessions N] [--out DIR])");
            }
        }
        return new Soak.Settings(backend, seconds, sessions, rate, 5, out != null ? out : timestamped("soak-"));
    }

    /**
     * Interleaved rounds of the open loop: one in the headline (its 10 minutes; no spread between rounds, so the
     * table's brackets repeat the median), else {@link #rounds}.
     */
    int openRounds() {
        return level == Level.HEADLINE ? 1 : rounds;
    }

    /** The first workload at this level, with {@code --session-kb}. */
    HttpComparison.Load load() {
        return level.load.grownBy(sessionKb * 1024);
    }

    /** The setups the open loop runs: the bounded ones (the grown sessions' cost is the first workload's question). */
    static List<ServerSetups.Setup> openLoopSetups(List<ServerSetups.Setup> setups) {
        return setups.stream().filter(s -> s.grownBytes() == 0).toList();
    }

    /** The HTTP setups this run measures, on {@code running} (Tomcat 11's, then Tomcat 10.1's when it was built). */
    List<ServerSetups.Setup> setups(List<Backend> running) {
        List<ServerSetups.Setup> setups = new ArrayList<>();
        if (!http) {
            return setups;
        }
        setups.addAll(level == Level.HEADLINE ? ServerSetups.headline(running)
                : ServerSetups.all(running, level == Level.FULL));
        if (Jvm.tomcat10Unavailable() == null) {
            setups.addAll(level == Level.HEADLINE ? Peers.headline() : Peers.all(running));
        }
        if (only != null) {
            List<String> parts = List.of(only.split(","));
            setups.removeIf(s -> parts.stream().noneMatch(s.name()::contains));
        }
        return setups;
    }

    /**
     * {@code 10m}, {@code 150s}, {@code 1h} or plain seconds, as seconds; at least two minutes, so that a node restarts
     * (on the first full minute) and the first and last minutes are apart.
     */
    static long duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : 1;
        String number = t.endsWith("h") || t.endsWith("m") || t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
        long seconds;
        try {
            seconds = Long.parseLong(number) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--soak needs a duration such as 10m, 90s or 1h, not " + text);
        }
        if (seconds < 120) {
            throw new IllegalArgumentException("--soak needs at least 2m (a node restarts after the first minute, and"
                    + " the first and last minutes are compared), not " + text);
        }
        return seconds;
    }

    /** {@code v} when it is at least 1 (rounds, sessions, rate, KB); else the option is refused. */
    static double positive(double v, String option) {
        if (!(v >= 1)) {
            throw new IllegalArgumentException(option + " needs a number of at least 1, not " + v);
        }
        return v;
    }

    /** The number after {@code option}, at least 1. */
    private static double positive(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            return positive(Double.parseDouble(v), option);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number of at least 1, not " + v);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Backend backend(String name) {
        return Backend.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** {@code results/<prefix><timestamp>}: under benchmarks/ when run from the repository root, else here. */
    private static Path timestamped(String prefix) {
        Path module = Paths.get("benchmarks");
        return (Files.isDirectory(module.resolve("src")) ? module.resolve("results") : Paths.get("results"))
                .resolve(prefix + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
