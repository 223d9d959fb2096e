package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The main command's options: each flag, its default, and a refusal naming the option for each bad command line. */
class OptionsTest {

    private static Options parse(String... args) {
        return Options.parse(args);
    }

    @Test
    void theDefaultIsTheHeadlineWithoutJmhOrScaleOnEveryAvailableBackend() {
        Options o = parse();
        assertEquals(Level.HEADLINE, o.level());
        assertFalse(o.jmh());
        assertFalse(o.scale());
        assertTrue(o.http());
        assertEquals(3, o.rounds());
        assertEquals(Level.HEADLINE.openLoad, o.openLoad(), "the headline shows the second workload too");
        assertNull(o.only());
        assertEquals(0, o.sessionKb());
        assertFalse(o.help());
        assertTrue(o.out().getParent().endsWith("results"), o.out().toString());
        for (Backend b : Backend.values()) {
            assertEquals(b.unavailableReason() == null, o.backends().contains(b), b.name());
            assertEquals(b.unavailableReason() != null, o.skipped().stream().anyMatch(s -> s.startsWith(b + " (")));
        }
    }

    @Test
    void eachLevelSetsItsLengthAndQuickAndFullRunEveryPart() {
        Options smoke = parse("--smoke");
        assertEquals(Level.SMOKE, smoke.level());
        assertEquals(1, smoke.rounds());
        assertTrue(smoke.jmh() && smoke.scale());
        Options quick = parse("--quick");
        assertEquals(Level.QUICK, quick.level());
        assertEquals(3, quick.rounds());
        assertTrue(quick.jmh() && quick.scale());
        Options full = parse("--full");
        assertEquals(Level.FULL, full.level());
        assertEquals(5, full.rounds());
        assertEquals(3, full.level().sizes().length);
    }

    @Test
    void partsCanBeLeftOut() {
        assertFalse(parse("--quick", "--no-jmh").jmh());
        assertFalse(parse("--quick", "--no-scale").scale());
        Options noHttp = parse("--quick", "--no-http");
        assertFalse(noHttp.http());
        assertEquals(List.of(), noHttp.setups(List.of(Backend.values())));
    }

    @Test
    void onlyKeepsTheSetupsWhoseNameContainsAPart() {
        Options o = parse("--only", "standard,ours-file-write");
        List<String> names = o.setups(List.of(Backend.FILE, Backend.REDIS)).stream().map(ServerSetups.Setup::name)
                .toList();
        assertTrue(names.contains("standard") && names.contains("ours-file-write-through"), names.toString());
        assertTrue(names.stream().allMatch(n -> n.contains("standard") || n.contains("ours-file-write")), names
                .toString());
    }

    @Test
    void roundsSessionKbOutAndBackendsAreRead(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertEquals(1, parse("--rounds", "1").rounds());
        Options kb = parse("--session-kb", "50");
        assertEquals(50, kb.sessionKb());
        assertEquals(50 * 1024, kb.load().grown());
        assertEquals(dir, parse("--out", dir.toString()).out());
        Options b = parse("--backends", "file, redis");
        assertEquals(List.of(Backend.FILE, Backend.REDIS), b.backends());
        assertEquals(List.of(), b.skipped(), "a backend named is run, not skipped");
    }

    @Test
    void openLoopTakesTheLevelsDefaultsUnlessSessionsOrRateAreGiven() {
        HttpComparison.OpenLoad defaults = parse("--open-loop").openLoad();
        assertEquals(Level.HEADLINE.openLoad, defaults);
        HttpComparison.OpenLoad set = parse("--smoke", "--open-loop", "--sessions", "300", "--rate", "20").openLoad();
        assertEquals(new HttpComparison.OpenLoad(300, 20, 500, 2_000), set);
        assertNull(parse("--quick", "--sessions", "300").openLoad(),
                "--sessions alone does not start the open loop outside the headline");
        assertNull(parse("--no-open-loop").openLoad());
        assertEquals(3, parse("--quick", "--open-loop").openRounds());
        assertEquals(1, parse().openRounds());
    }

    @Test
    void helpStopsTheParsingAndPrintsTheUsage() throws Exception {
        assertTrue(parse("-h").help());
        assertTrue(parse("--help", "--no-such-option").help());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(0, Compare.run(new String[] { "--help" }, ps));
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("usage: java -jar benchmarks.jar [--smoke|--quick|--full]"), printed);
        assertTrue(printed.contains("--session-kb N") && printed.contains("--soak DURATION"), printed);
    }

    @Test
    void anUnknownOptionOrABadValueIsRefusedNamingIt() {
        assertEquals("unknown option --fast (try --help)", refusal("--fast"));
        assertEquals("--session-kb needs a number of at least 1, not x", refusal("--session-kb", "x"));
        assertEquals("--session-kb needs a number of at least 1, not 0.0", refusal("--session-kb", "0"));
        assertEquals("--rounds needs a number of at least 1, not 0.0", refusal("--rounds", "0"));
        assertEquals("--rate needs a number of at least 1, not -5.0", refusal("--rate", "-5"));
        assertEquals("--sessions needs a number of at least 1, not NaN", refusal("--sessions", "NaN"));
        assertEquals("--out needs a value", refusal("--out"));
        assertThrows(IllegalArgumentException.class, () -> parse("--backends", "CASSANDRA"));
    }

    @Test
    void theSoakReadsItsDurationAndRefusesTheComparisonsOptions(@org.junit.jupiter.api.io.TempDir Path dir) {
        Soak.Settings s = Options.soak(new String[] { "--soak", "10m", "--backends", "file", "--rate", "20",
                "--sessions", "100", "--out", dir.toString() });
        assertEquals(new Soak.Settings(Backend.FILE, 600, 100, 20, 5, dir), s);
        Soak.Settings defaults = Options.soak(new String[] { "--soak", "2m" });
        assertEquals(500, defaults.sessions());
        assertEquals(50, defaults.rate());
        assertTrue(defaults.out().getFileName().toString().startsWith("soak-"), defaults.out().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.soak(new String[] { "--soak", "10m", "--quick" }));
        assertTrue(e.getMessage().startsWith("unknown option with --soak: --quick"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.soak(new String[] { "--soak", "90s" }));
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Options.parse(args)).getMessage();
    }
}
