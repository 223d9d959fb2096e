package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The soak's arithmetic: flatness verdict, first and last minute, its duration flag and the store's port. */
class FlatnessTest {

    // A 180 s run sampled every 30 s: thirds are [0, 60) and [120, 180]; minutes [0, 60) and [120, 180]
    private static final double[] T = { 0, 30, 60, 90, 120, 150 };

    @Test
    void lastThirdsMaxWithinTheAllowanceIsFlat() {
        Flatness.Result r = new Flatness(0.10, 2).of(T, new double[] { 100, 90, 300, 300, 111, 112 }, 180);
        assertEquals(100, r.firstThirdMax());
        assertEquals(112, r.lastThirdMax());
        assertEquals(112, r.limit(), 1e-9);
        assertEquals("flat", r.verdict());
        assertEquals(95, r.firstMinute());
        assertEquals(111.5, r.lastMinute());
    }

    @Test
    void growthBeyondTheAllowanceIsFlagged() {
        Flatness.Result r = new Flatness(0.10, 2).of(T, new double[] { 100, 90, 0, 0, 50, 112.5 }, 180);
        assertEquals("GROWS", r.verdict());
    }

    @Test
    void unreadValuesAreLeftOutAndAThirdWithoutReadingsHasNoVerdict() {
        double n = Double.NaN;
        Flatness.Result r = new Flatness(0, 1).of(T, new double[] { n, 4, 9, 9, 5, n }, 180);
        assertEquals(4, r.firstThirdMax());
        assertEquals(5, r.lastThirdMax());
        assertEquals("flat", r.verdict());
        assertEquals("n/a (no readings)", new Flatness(0, 1).of(T, new double[] { 1, 1, 1, 1, n, n }, 180).verdict());
    }

    @Test
    void durationFlag() {
        assertEquals(600, Options.duration("10m"));
        assertEquals(150, Options.duration("150s"));
        assertEquals(3600, Options.duration("1h"));
        assertEquals(120, Options.duration("120"));
        assertThrows(IllegalArgumentException.class, () -> Options.duration("90s"), "no node restart, minutes overlap");
        assertThrows(IllegalArgumentException.class, () -> Options.duration("ten"));
    }

    @Test
    void storePortFromItsEndpoint() {
        assertEquals(6379, Soak.storePort(new SharedServer("redis://127.0.0.1:6379/0", "", "", null)));
        assertEquals(3306, Soak.storePort(new SharedServer("jdbc:mariadb://127.0.0.1:3306/bench", "", "", null)));
        assertEquals(11211, Soak.storePort(new SharedServer("127.0.0.1:11211", "", "", null)));
        assertEquals(-1, Soak.storePort(null));
    }
}
