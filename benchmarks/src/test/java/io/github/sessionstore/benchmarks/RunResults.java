package io.github.sessionstore.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A quick run's {@link Results} filled by hand: setups and their samples, for the report's arithmetic. */
final class RunResults {

    final Results results;

    private RunResults(Path out) {
        results = new Results(Options.parse(new String[] { "--quick", "--backends", "FILE", "--out",
                out.toString() }));
    }

    static RunResults in(Path out) {
        return new RunResults(out);
    }

    /** Ours on FILE, write-through: the setup the report's arithmetic is checked on. */
    static ServerSetups.Setup ours() {
        return ServerSetups.ours(Backend.FILE, "write-through");
    }

    /** {@code setup}'s row, one sample per round. */
    RunResults row(ServerSetups.Setup setup, HttpComparison.Sample... samples) {
        results.setups.put(setup.name(), setup);
        results.httpRows.add(new HttpComparison.HttpRow(setup.name(), new ArrayList<>(List.of(samples))));
        return this;
    }

    /** A round's sample: 1000 req/s, p50 1 ms, p99 2 ms, and each node's CPU µs per request with and without JIT. */
    static HttpComparison.Sample sample(int round, double perSecond, double cpuA, double cpuB, double noJitA,
            double noJitB) {
        return new HttpComparison.Sample(round, perSecond, 1, 2, 4000, 0, Double.NaN, Double.NaN, cpuA, cpuB, noJitA,
                noJitB);
    }
}
