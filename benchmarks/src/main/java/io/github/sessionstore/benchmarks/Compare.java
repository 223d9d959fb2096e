package io.github.sessionstore.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one-command comparison: JMH store benchmarks (every backend, next to its raw-client floor, one fork per trial),
 * then the HTTP comparison: every setup (Tomcat's own managers, Redisson's, ours on every backend) in fresh node JVMs
 * with the load generator in its own, over interleaved rounds. Prints the tables and writes
 * {@code results/<timestamp>/} (raw JMH JSON, CSVs, report.md, chart.svg, the processes' logs). By default only the
 * headline: the HTTP comparison of the ceilings, ours on every backend and Redisson. {@link Options} reads the
 * command line, this class runs the parts in order, {@link Results} holds what they measured and {@link Report}
 * writes it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar                 headline (about 10 minutes on 2 cores)
 * java -jar benchmarks/target/benchmarks.jar --quick         every part: JMH, every peer and variant, scale (30 min)
 * java -jar benchmarks/target/benchmarks.jar --full          longer, more forks and iterations
 * java -jar benchmarks/target/benchmarks.jar --smoke         one very short iteration each (harness check)
 *   options: --out DIR   --backends FILE,MEMCACHED,...   --no-jmh   --no-http   --no-scale
 *            --only PART[,PART...] (the setups whose name contains one of them)   --rounds N
 *            --open-loop [--sessions N] [--rate R]: also the second workload (many sessions, open loop at R req/s)
 *            --session-kb N: every HTTP session also holds N KB of unchanged Strings and boxed values
 *   -Dsessionstore.bench.verbose=true keeps Tomcat's INFO logging
 * java -jar benchmarks/target/benchmarks.jar --soak 10m   soak, not for CI: restarts under steady load (Soak)
 *   options: --backends X (one; default REDIS, else FILE)   --rate R   --sessions N   --out DIR
 * java -jar benchmarks/target/benchmarks.jar jmh [JMH args]  plain JMH (e.g. jmh StoreBenchmark.save -p size=1024)
 * </pre>
 */
public final class Compare {

    private final Options options;
    private final Results results;
    private final RunLog log;

    private Compare(Results results, PrintStream console) {
        this.options = results.options;
        this.results = results;
        this.log = new RunLog(console, results.failures, steps(options, results.backends));
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(Arrays.asList(args).contains("--soak") ? Soak.run(Options.soak(args), System.out)
                : run(args, System.out));
    }

    /** Runs the comparison; returns the process exit code (non-zero when any part failed). */
    public static int run(String[] args, PrintStream console) throws Exception {
        Options options = Options.parse(args);
        if (options.help()) {
            console.println(Options.USAGE);
            return 0;
        }
        Files.createDirectories(options.out());
        if (!Boolean.getBoolean("sessionstore.bench.verbose")) {
            Logs.quiet();
        }
        Results results = new Results(options);
        options.skipped().forEach(b -> console.println("skipping backend " + b));
        long t0 = System.nanoTime();
        new Compare(results, console).runAll();
        Report.write(results, (System.nanoTime() - t0) / 1e9, console);
        if (!results.failures.isEmpty()) {
            console.println("FAILED parts:");
            results.failures.forEach(f -> console.println("  " + f));
            return 1;
        }
        return 0;
    }

    /** Servers, then JMH, the HTTP comparison and the scale run, each as the options say; every server stopped. */
    private void runAll() {
        skipUnavailableSetups();
        log.console().printf("sessionstore comparison, %s mode, %d steps, results in %s%n",
                options.level().name().toLowerCase(), log.steps(), options.out());
        List<SharedServer> started = new ArrayList<>();
        try {
            startServers(started);
            // A backend whose server did not start is dropped (its failure is reported), not retried per trial
            List<ServerSetups.Setup> setups = options.setups(results.backends);
            if (options.jmh()) {
                new JmhRun(options.level(), results.backends, log, results.jmh).run();
            }
            if (!setups.isEmpty()) {
                new HttpRounds(options, results, log).run(setups, started);
            }
            if (options.scale()) {
                runScale();
            }
        } finally {
            stopServers(started);
        }
    }

    /** Says which HTTP setups cannot run here: Tomcat 10.1's when its jar was not built, Redisson's without Redis. */
    private void skipUnavailableSetups() {
        if (!options.http()) {
            return;
        }
        String no10 = Jvm.tomcat10Unavailable();
        if (no10 != null) {
            results.skipped.add("Tomcat 10.1 setups (" + no10 + ")");
        }
        String noRedis = Peers.redisUnavailable();
        if (noRedis != null) {
            results.skipped.add("Redisson (" + noRedis + ")");
        }
    }

    /**
     * Total progress steps: the servers, JMH's benchmarks, the HTTP setups' rounds, the open loop's (its setups less
     * the grown ones), the scale runs.
     */
    private static int steps(Options options, List<Backend> backends) {
        List<ServerSetups.Setup> setups = options.setups(backends);
        return backends.size() + (options.jmh() ? JmhRun.OPS.length * options.level().sizes().length : 0)
                + setups.size() * options.rounds() + (options.openLoad() == null ? 0
                        : Options.openLoopSetups(setups).size() * options.openRounds())
                + (options.scale() ? backends.size() : 0);
    }

    /** One server per backend for the whole run (JMH trials, forks and HTTP setups share it). */
    private void startServers(List<SharedServer> started) {
        List<Backend> failed = new ArrayList<>();
        for (Backend b : results.backends) {
            log.step("backend " + b + ": start its server, if it has one");
            try {
                SharedServer s = b.startServer();
                if (s == null) {
                    results.tags.put(b, b.tag());
                    log.console().println("  no server (" + b.tag() + ")");
                    continue;
                }
                started.add(s);
                System.setProperty(SharedServer.property(b), s.encode());
                results.tags.put(b, s.tag());
                results.servers.put(b, s.description());
                log.console().println("  " + s.description());
            } catch (Exception | LinkageError e) {
                log.failed("starting " + b, e);
                failed.add(b);
            }
        }
        results.backends.removeAll(failed);
    }

    /** Every server this run started is stopped, also after a failure. */
    private void stopServers(List<SharedServer> started) {
        for (Backend b : results.backends) {
            System.clearProperty(SharedServer.property(b));
        }
        for (SharedServer s : started) {
            try {
                s.close();
            } catch (Exception e) {
                results.failures.add("stopping " + s.description() + ": " + e);
            }
        }
    }

    /** Per backend: many stored sessions, one processExpires(), saves at a small and at that size. */
    private void runScale() {
        ScaleRun.Settings settings = options.level().scale;
        for (Backend b : results.backends) {
            log.step("scale " + b + ": " + settings.total() + " stored sessions (1% expired), one processExpires(); "
                    + settings.saves() + " saves at " + settings.small() + " and at " + settings.total() + " stored");
            try {
                results.scaleRows.add(ScaleRun.run(b, settings, log.console(), options.level() == Level.FULL ? null
                        : tmpfs()));
            } catch (Exception | LinkageError e) {
                log.failed("scale " + b, e);
            }
        }
    }

    /** /dev/shm when it is a writable directory, else null. */
    private static Path tmpfs() {
        Path shm = Paths.get("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : null;
    }
}
