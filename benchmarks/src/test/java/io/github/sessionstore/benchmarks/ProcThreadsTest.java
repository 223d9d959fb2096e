package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The load log's per-thread breakdown of a node's CPU in the measured window. */
class ProcThreadsTest {

    @Test
    void systemTimeIsFieldFifteenAfterTheCommandNamesLastBracket() {
        String stat = "4242 (java x) y) S 1 4242 4242 0 -1 4194560 51000 0 12 0 1234 56 0 0 20 0 40 0 987654";
        assertEquals(56, ProcCpu.systemTicks(stat));
    }

    @Test
    void threadsAreGroupedWithoutTheirDigitsPerRequestBusiestFirst() {
        Map<Long, ProcThreads.Counts> before = Map.of(
                1L, new ProcThreads.Counts("exec-1", 100, 10, 50, 5),
                2L, new ProcThreads.Counts("exec-2", 100, 10, 50, 5),
                3L, new ProcThreads.Counts("C2 CompilerThre", 0, 0, 0, 0));
        Map<Long, ProcThreads.Counts> after = Map.of(
                1L, new ProcThreads.Counts("exec-1", 150, 20, 150, 5),
                2L, new ProcThreads.Counts("exec-2", 150, 20, 150, 5),
                3L, new ProcThreads.Counts("C2 CompilerThre", 10, 0, 0, 0),
                4L, new ProcThreads.Counts("IO thread", 5, 5, 100, 0)); // born in the window: counted from zero
        long tickMicros = 1_000_000 / ProcCpu.TICKS_PER_SECOND;
        List<String> lines = ProcThreads.perRequest("A", before, after, 100);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(String.format(java.util.Locale.ROOT,
                "THREADS node=A group=exec-# threads=2 cpuUs=%.2f sysUs=%.2f vcs=2.000 nvcs=0.000",
                100.0 * tickMicros / 100, 20.0 * tickMicros / 100), lines.get(0));
        assertTrue(lines.get(1).startsWith("THREADS node=A group=C#_CompilerThre threads=1 "), lines.get(1));
        assertTrue(lines.get(2).contains("group=IO_thread threads=1 ") && lines.get(2).contains(" vcs=1.000 "),
                lines.get(2));
    }

    @Test
    void ownProcessHasThreadsAndAMissingOneNone() {
        if (!Files.isReadable(Path.of("/proc/self/task"))) {
            return; // not Linux: no breakdown
        }
        Map<Long, ProcThreads.Counts> own = ProcThreads.snapshot(ProcessHandle.current().pid());
        assertFalse(own.isEmpty());
        assertTrue(own.values().stream().anyMatch(c -> c.ticks() > 0), own.toString());
        assertTrue(ProcThreads.snapshot(Long.MAX_VALUE).isEmpty());
    }
}
