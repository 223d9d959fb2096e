package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node CPU columns: each node's spread over the rounds, and the ratio to the ceiling taken round by round. */
class HttpSummaryCpuTest {

    @Test
    void cpuPerRequestIsComparedWithTheCeilingRoundByRound(@TempDir Path out) {
        ServerSetups.Setup ours = RunResults.ours();
        // Ceiling (A + B): 100, 200, 100 µs; ours: 150, 300, 300. Round by round 1.5, 1.5, 3.0; the medians' ratio
        // (250 / 100 = 2.5) would mix a busy round of one setup with a quiet round of the other
        Results c = RunResults.in(out).row(ServerSetups.standard(), sample(0, 90, 10), sample(1, 190, 10),
                sample(2, 95, 5)).row(ours, sample(0, 140, 10), sample(1, 250, 50), sample(2, 280, 20)).results;

        HttpSummary.Row row = HttpSummary.rows(c).get(1);
        assertEquals(ours, row.setup());
        assertEquals(new HttpSummary.Spread(250, 140, 280), row.cpuA());
        assertEquals(new HttpSummary.Spread(20, 10, 50), row.cpuB());
        assertEquals(1.5, row.cpuVsCeiling().median(), 1e-9);
        assertEquals(1.5, row.cpuVsCeiling().min(), 1e-9);
        assertEquals(3.0, row.cpuVsCeiling().max(), 1e-9);
        assertEquals("1.50× (1.50–3.00)", row.cpuVsCeiling().format("×"));
    }

    private static HttpComparison.Sample sample(int round, double cpuA, double cpuB) {
        return RunResults.sample(round, 1000, cpuA, cpuB, Double.NaN, Double.NaN);
    }
}
