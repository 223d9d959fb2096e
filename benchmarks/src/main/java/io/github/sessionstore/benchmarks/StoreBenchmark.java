package io.github.sessionstore.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One session of {@code size} payload bytes on {@code backend}, through our Store ({@code impl=store}) or the raw
 * client ({@code impl=floor}). Single-threaded: the per-operation cost, not throughput under contention (the HTTP
 * comparison covers that).
 */
@State(Scope.Benchmark)
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xmx1g", "-Djava.util.logging.config.file=/dev/null" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class StoreBenchmark {

    @Param({ "FILE" })
    public Backend backend;

    @Param({ "1024", "16384", "262144" })
    public int size;

    @Param({ "store", "floor" })
    public String impl;

    private Path work;
    private Backend.Fixture fixture;
    private SessionOps ops;

    @Setup
    public void setUp() throws Exception {
        Logs.quiet();
        work = Files.createTempDirectory("sessionstore-bench-");
        fixture = backend.open(work);
        ops = switch (impl) {
            case "store" -> new StoreOps(fixture, size);
            case "floor" -> new FloorOps(fixture, size);
            default -> throw new IllegalArgumentException("impl must be store or floor; was " + impl);
        };
    }

    @TearDown
    public void tearDown() throws Exception {
        try {
            ops.close();
        } finally {
            fixture.close();
        }
    }

    @Benchmark
    public void save() throws Exception {
        ops.save();
    }

    @Benchmark
    public Object load() throws Exception {
        return ops.load();
    }

    @Benchmark
    public Object check() throws Exception {
        return ops.check();
    }

    @Benchmark
    public void touch() throws Exception {
        ops.touch();
    }

    @Benchmark
    public void unchanged() throws Exception {
        ops.unchanged();
    }
}
