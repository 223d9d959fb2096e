package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main command's default, the headline: which setups it runs, and that a bad length is refused. */
class HeadlineSetupsTest {

    @Test
    void theHeadlineRunsTheCeilingsOursOnEveryBackendAndRedisson(@TempDir Path out) {
        String every = String.join(",", java.util.Arrays.stream(Backend.values()).map(Enum::name).toList());
        Options o = Options.parse(new String[] { "--backends", every, "--out", out.toString() });
        List<String> expected = new ArrayList<>(List.of("standard"));
        for (Backend b : Backend.values()) {
            expected.add("ours-" + b.name().toLowerCase(Locale.ROOT) + "-write-through");
        }
        // The session-size goal, side by side in the same rounds: memcached and Redis again with 50 KB more
        expected.addAll(List.of("ours-memcached-write-through-50kb", "ours-redis-write-through-50kb"));
        if (Peers.redisUnavailable() == null) {
            // Redisson runs on Tomcat 10.1: its ceiling is that line's StandardManager, in the same rounds
            expected.addAll(List.of("standard-tomcat10.1", "redisson-tomcat10.1"));
        }
        assertEquals(expected, o.setups(o.backends()).stream().map(ServerSetups.Setup::name).toList());
        // Three interleaved rounds: a min–max, and ratios taken round by round
        assertEquals(3, o.rounds());
        // The second workload too, once per setup
        assertEquals(Level.HEADLINE.openLoad, o.openLoad());
        assertEquals(1, o.openRounds());
    }

    @Test
    void aGrownSetupIsItsBaseWithBiggerSessions() {
        ServerSetups.Setup base = ServerSetups.ours(Backend.REDIS, "write-through");
        ServerSetups.Setup grown = GrownSetup.of(base, 50);
        assertEquals("ours-redis-write-through-50kb", grown.name());
        assertEquals(50 * 1024, grown.grownBytes());
        assertEquals(0, base.grownBytes());
        assertEquals(base.backend(), grown.backend());
        assertEquals(base.kind(), grown.kind());
        // A node process finds it by name, as it finds every setup
        assertEquals(grown.name(), ServerSetups.byName(grown.name()).name());
        assertEquals(50 * 1024, ServerSetups.byName(grown.name()).grownBytes());
    }

    @Test
    void aRoundCountSessionCountOrRateBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Options.positive(0, "--rounds"));
        assertThrows(IllegalArgumentException.class, () -> Options.positive(-5, "--rate"));
        assertThrows(IllegalArgumentException.class, () -> Options.positive(Double.NaN, "--sessions"));
        assertEquals(2.5, Options.positive(2.5, "--rate"));
    }
}
