package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24: node CPU per request without the JIT compiler threads, beside the process total; in a short window the
 * JIT's share says how much code still compiles, not what a request costs.
 */
class CpuWithoutJitTest {

    private static final long TICK_NANOS = 1_000_000_000L / ProcCpu.TICKS_PER_SECOND;

    @Test
    void theCompilerThreadsCpuIsTakenOutOfTheProcessTotal() {
        Map<Long, ProcThreads.Counts> before = Map.of(
                1L, new ProcThreads.Counts("exec-1", 100, 10, 0, 0),
                2L, new ProcThreads.Counts("C2 CompilerThre", 40, 0, 0, 0),
                3L, new ProcThreads.Counts("C1 CompilerThre", 10, 0, 0, 0));
        Map<Long, ProcThreads.Counts> after = Map.of(
                1L, new ProcThreads.Counts("exec-1", 200, 20, 0, 0),
                2L, new ProcThreads.Counts("C2 CompilerThre", 70, 0, 0, 0),
                3L, new ProcThreads.Counts("C1 CompilerThre", 20, 0, 0, 0),
                4L, new ProcThreads.Counts("C2 CompilerThre", 5, 0, 0, 0)); // born in the window: from zero
        long start = 1_000_000_000L;
        long end = start + 200 * TICK_NANOS;
        // 200 ticks in all, 30 + 10 + 5 of them compiling: 155 ticks over 1000 requests
        double expected = 155 * TICK_NANOS / 1000.0 / 1000;
        assertEquals(expected, ProcThreads.microsPerRequestWithoutCompiler(start, end, before, after, 1000), 1e-9);
        assertEquals(200 * TICK_NANOS / 1000.0 / 1000, ProcCpu.microsPerRequest(start, end, 1000), 1e-9,
                "the process total keeps the JIT");
    }

    @Test
    void anIdleNodesRoundingBelowZeroIsZeroButNoMore() {
        Map<Long, ProcThreads.Counts> before = Map.of(1L, new ProcThreads.Counts("C2 CompilerThre", 10, 0, 0, 0),
                2L, new ProcThreads.Counts("C1 CompilerThre", 10, 0, 0, 0));
        Map<Long, ProcThreads.Counts> after = Map.of(1L, new ProcThreads.Counts("C2 CompilerThre", 11, 0, 0, 0),
                2L, new ProcThreads.Counts("C1 CompilerThre", 11, 0, 0, 0));
        long start = 1_000_000_000L;
        // The process total did not move while each compiler thread's did by a tick (rounded apart): 0
        assertEquals(0.0, ProcThreads.microsPerRequestWithoutCompiler(start, start, before, after, 1000), 1e-9);
        Map<Long, ProcThreads.Counts> busier = Map.of(1L, new ProcThreads.Counts("C2 CompilerThre", 13, 0, 0, 0),
                2L, new ProcThreads.Counts("C1 CompilerThre", 11, 0, 0, 0));
        assertTrue(Double.isNaN(ProcThreads.microsPerRequestWithoutCompiler(start, start, before, busier, 1000)),
                "more than rounding: the readings do not fit");
    }

    @Test
    void withoutPerThreadCountsTheFigureIsNotANumber() {
        Map<Long, ProcThreads.Counts> one = Map.of(1L, new ProcThreads.Counts("exec-1", 100, 10, 0, 0));
        assertTrue(Double.isNaN(ProcThreads.microsPerRequestWithoutCompiler(0, 1_000_000_000L, Map.of(), Map.of(),
                1000)), "no /proc/<pid>/task: n/a, not the process total");
        assertTrue(Double.isNaN(ProcThreads.microsPerRequestWithoutCompiler(0, 1_000_000_000L, one, Map.of(), 1000)));
        assertTrue(Double.isNaN(ProcThreads.microsPerRequestWithoutCompiler(0, -1, one, one, 1000)),
                "no process total");
        assertTrue(Double.isNaN(ProcThreads.microsPerRequestWithoutCompiler(0, 1_000_000_000L, one, one, 0)),
                "nothing served");
    }

    @Test
    void theCeilingRatioWithoutJitIsTakenRoundByRoundOnTheFigureWithoutJit(@TempDir Path out) {
        ServerSetups.Setup ours = RunResults.ours();
        // With the JIT, ours and the ceiling cost the same (300 µs: mostly compiling); without it the ceiling costs
        // 100, 100, 50 (A + B) and ours 250, 200, 150: round by round 2.5, 2.0, 3.0
        Results c = RunResults.in(out).row(ServerSetups.standard(), sample(0, 90, 10), sample(1, 95, 5),
                sample(2, 45, 5)).row(ours, sample(0, 240, 10), sample(1, 180, 20), sample(2, 140, 10)).results;

        HttpSummary.Row row = HttpSummary.rows(c).get(1);
        assertEquals(ours, row.setup());
        assertEquals(new HttpSummary.Spread(300, 300, 300), row.cpuA(), "the existing column is unchanged");
        assertEquals(1.0, row.cpuVsCeiling().median(), 1e-9);
        assertEquals(new HttpSummary.Spread(180, 140, 240), row.cpuNoJitA());
        assertEquals(new HttpSummary.Spread(10, 10, 20), row.cpuNoJitB());
        assertEquals("2.50× (2.00–3.00)", row.cpuNoJitVsCeiling().format("×"));

        StringBuilder md = new StringBuilder();
        HttpReport.append(md, c);
        assertTrue(md.toString().contains("| node A CPU µs/req without JIT | node B CPU µs/req without JIT"
                + " | CPU without JIT × ceiling |"), md.toString());
        String line = md.toString().lines().filter(l -> l.startsWith("| " + ours.name())).findFirst().orElseThrow();
        assertTrue(line.endsWith("| 180 (140–240) | 10.0 (10.0–20.0) | 2.50× (2.00–3.00) |"), line);
    }

    @Test
    void withoutPerThreadCountsTheReportSaysNotAvailable(@TempDir Path out) {
        Results c = RunResults.in(out).row(ServerSetups.standard(), RunResults.sample(0, 1000, 300, 10, Double.NaN,
                Double.NaN)).results;
        StringBuilder md = new StringBuilder();
        HttpReport.append(md, c);
        String line = md.toString().lines().filter(l -> l.startsWith("| standard ")).findFirst().orElseThrow();
        assertTrue(line.endsWith("| n/a | n/a | n/a |"), line);
    }

    /** A round where each node spends 300 µs (A) and 0 (B) per request with the JIT, {@code a}, {@code b} without. */
    private static HttpComparison.Sample sample(int round, double a, double b) {
        return RunResults.sample(round, 1000, 300, 0, a, b);
    }
}
