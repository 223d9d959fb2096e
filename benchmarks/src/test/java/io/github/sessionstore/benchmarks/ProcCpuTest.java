package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The node CPU column's reader of /proc/<pid>/stat and its per-request arithmetic. */
class ProcCpuTest {

    // A real line's shape (Linux proc(5)): pid, (comm), state, then utime = 1234 and stime = 56 as fields 14 and 15;
    // the command name holds a space and a closing bracket, as a thread or process may name itself
    private static final String STAT = "4242 (java x) y) S 1 4242 4242 0 -1 4194560 51000 0 12 0 1234 56 0 0 20 0 "
            + "40 0 987654 4000000000 60000 18446744073709551615 1 1 0 0 0 0 0 2 16800975 0 0 0 17 1 0 0 0 0 0";

    @Test
    void utimePlusStimeCountedAfterTheCommandNamesLastBracket() {
        assertEquals(1234 + 56, ProcCpu.ticks(STAT));
    }

    @Test
    void aLineWithoutItsFieldsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProcCpu.ticks("4242 java S 1"));
        assertThrows(IllegalArgumentException.class, () -> ProcCpu.ticks("4242 (java) S 1 2 3"));
    }

    @Test
    void ownProcessReadsItsCpuTimeAndAMissingOneReadsMinusOne() throws Exception {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            return; // not Linux: the column says n/a
        }
        long pid = ProcessHandle.current().pid();
        long ticks = ProcCpu.ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        // This JVM has spent CPU (class loading, JIT) by now; the reading is that many ticks in nanoseconds or more
        assertTrue(ticks > 0, "ticks " + ticks);
        assertTrue(ProcCpu.nanos(pid) >= ticks * (1_000_000_000L / ProcCpu.TICKS_PER_SECOND));
        assertEquals(-1, ProcCpu.nanos(Long.MAX_VALUE));
    }

    @Test
    void microsPerRequestIsTheWindowsCpuOverItsRequests() {
        // 2.5 s of CPU over 1000 requests: 2500 µs each
        assertEquals(2500.0, ProcCpu.microsPerRequest(1_000_000_000L, 3_500_000_000L, 1000), 1e-9);
        assertTrue(Double.isNaN(ProcCpu.microsPerRequest(-1, 3_500_000_000L, 1000)), "start not read");
        assertTrue(Double.isNaN(ProcCpu.microsPerRequest(1_000_000_000L, -1, 1000)), "end not read");
        assertTrue(Double.isNaN(ProcCpu.microsPerRequest(1, 2, 0)), "no request served");
    }
}
