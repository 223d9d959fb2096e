package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 24's goals: each a ratio taken round by round, on the right side of its target, from the setups that ran. */
class GoalsTest {

    @Test
    void cpuGoalsAreAtMostAndThroughputGoalsAtLeastTheirTarget(@TempDir Path out) {
        Results res = results(out);
        // CPU (A + B) per request: ceiling 100 each round; memcached 140, 160, 200 → 1.4, 1.6, 2.0 (median 1.6 > 1.5)
        row(res, ServerSetups.standard(), new double[] { 100, 100, 100 }, new double[] { 1000, 1000, 1000 });
        ServerSetups.Setup memcached = ServerSetups.ours(Backend.MEMCACHED, "write-through");
        row(res, memcached, new double[] { 140, 160, 200 }, new double[] { 900, 800, 700 });
        // Grown: 150, 170, 210 over 140, 160, 200 → 1.07, 1.06, 1.05: within 10 %
        row(res, GrownSetup.of(memcached, ServerSetups.GROWN_KB), new double[] { 150, 170, 210 },
                new double[] { 800, 700, 600 });

        List<Goals.Goal> goals = Goals.of(res, List.of());

        Goals.Goal cpu = goal(goals, "ours-memcached-write-through", "standard", Goals.Bound.AT_MOST);
        assertEquals(1.5, cpu.target());
        assertEquals(new HttpSummary.Spread(1.6, 1.4, 2.0), rounded(cpu.measured()));
        assertFalse(cpu.met(), "a median of 1.6× does not meet ≤ 1.5×");
        // Without the JIT: 130, 150, 190 over 90 → 1.44, 1.67, 2.11
        assertEquals(1.67, rounded(cpu.withoutJit()).median());

        Goals.Goal size = goal(goals, "ours-memcached-write-through-50kb", "ours-memcached-write-through",
                Goals.Bound.AT_MOST);
        assertEquals(1.10, size.target());
        assertTrue(size.met(), size.measured().toString());

        Goals.Goal throughput = goal(goals, "ours-memcached-write-through", "standard", Goals.Bound.AT_LEAST);
        assertEquals(0.8, throughput.target());
        assertEquals(0.8, throughput.measured().median(), 1e-9);
        assertTrue(throughput.met(), "a median of exactly the target meets it");

        // Setups that did not run give no goal: no Redis, no Redisson, no JMH here
        assertTrue(goals.stream().noneMatch(g -> g.setup().contains("redis") || g.base().contains("redisson")
                || g.setup().equals("store")), goals.toString());
    }

    @Test
    void jmhGoalsTakeTheStoreOverTheRawClientAtOneKilobyte(@TempDir Path out) {
        List<Report.StoreRow> store = List.of(
                new Report.StoreRow("REDIS", "save", 1024, 23, 40, 24, 20, 35, 21, 1000),
                new Report.StoreRow("REDIS", "check", 1024, 40, 60, 41, 20, 35, 21, 1000),
                new Report.StoreRow("REDIS", "save", 262144, 400, 600, 410, 100, 150, 110, 1000),
                new Report.StoreRow("REDIS", "load", 1024, 40, 60, 41, 20, 35, 21, 1000));
        List<Goals.Goal> goals = Goals.of(results(out), store);
        assertEquals(2, goals.size(), goals.toString());
        assertTrue(goals.get(0).met(), "23 / 20 = 1.15 meets ≤ 1.15");
        assertFalse(goals.get(1).met(), "40 / 20 = 2 does not");
    }

    private static Results results(Path out) {
        return RunResults.in(out).results;
    }

    /** A row of three rounds: {@code cpu} µs per request, 10 of it on node B, 10 of node A's the JIT's. */
    private static void row(Results res, ServerSetups.Setup setup, double[] cpu, double[] perSecond) {
        res.setups.put(setup.name(), setup);
        List<HttpComparison.Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < cpu.length; i++) {
            samples.add(RunResults.sample(i, perSecond[i], cpu[i] - 10, 10, cpu[i] - 20, 10));
        }
        res.httpRows.add(new HttpComparison.HttpRow(setup.name(), samples));
    }

    private static Goals.Goal goal(List<Goals.Goal> goals, String setup, String base, Goals.Bound bound) {
        return goals.stream().filter(g -> g.setup().equals(setup) && g.base().equals(base) && g.bound() == bound)
                .findFirst().orElseThrow(() -> new AssertionError("no goal " + setup + " / " + base + ": " + goals));
    }

    private static HttpSummary.Spread rounded(HttpSummary.Spread s) {
        return new HttpSummary.Spread(r(s.median()), r(s.min()), r(s.max()));
    }

    private static double r(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
