package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The store benchmarks of a comparison ({@link StoreBenchmark}): every op and payload size, every backend next to its
 * raw-client floor, one JMH fork per trial on the run's shared servers.
 */
final class JmhRun {

    static final String[] OPS = { "save", "load", "check", "touch", "unchanged" };

    private final Level level;
    private final List<Backend> backends;
    private final RunLog log;
    private final List<RunResult> results;

    JmhRun(Level level, List<Backend> backends, RunLog log, List<RunResult> results) {
        this.level = level;
        this.backends = backends;
        this.log = log;
        this.results = results;
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

    /** Every op at every payload size of the level, each a JMH run over every backend, store and floor. */
    void run() {
        String backendNames = String.join(",", backends.stream().map(Enum::name).toList());
        for (String op : OPS) {
            for (String size : level.sizes()) {
                String[] impls = op.equals("unchanged") ? new String[] { "store" } : new String[] { "store", "floor" };
                log.step("jmh " + op + ", payload " + size + " B, " + backendNames + ", " + String.join("+", impls));
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
                    results.addAll(new Runner(o.build()).run());
                } catch (Exception e) {
                    log.failed("jmh " + op + " " + size, e);
                }
            }
        }
    }
}
