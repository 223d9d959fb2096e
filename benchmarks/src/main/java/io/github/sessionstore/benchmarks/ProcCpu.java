package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process's CPU time so far (user + system, every thread: request threads, GC, JIT compiler), read from
 * Linux's {@code /proc/<pid>/stat}. The load generator reads its nodes' at the start and the end of the measured
 * window.
 */
final class ProcCpu {

    /** USER_HZ: the unit of the stat file's times; 100 on every common Linux, asked of {@code getconf} once. */
    static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcCpu() {
    }

    /** Process {@code pid}'s CPU time in nanoseconds, or -1 when it cannot be read (no /proc, process gone). */
    static long nanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return ticks(stat) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * utime + stime (fields 14 and 15, clock ticks) of one stat line. The command name (field 2, in brackets) may
     * hold spaces and brackets itself, so the fields are counted after its last closing bracket.
     */
    static long ticks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        if (f.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + stat);
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** stime alone (field 15, clock ticks): the part of {@link #ticks} spent in the kernel. */
    static long systemTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
        return Long.parseLong(f[12]);
    }

    /** CPU microseconds per request between two readings, or NaN when either is missing or nothing was served. */
    static double microsPerRequest(long beforeNanos, long afterNanos, long requests) {
        if (beforeNanos < 0 || afterNanos < beforeNanos || requests <= 0) {
            return Double.NaN;
        }
        return (afterNanos - beforeNanos) / 1000.0 / requests;
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try {
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    long hz = Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                            .trim());
                    if (hz > 0 && 1_000_000_000L % hz == 0) {
                        return hz;
                    }
                }
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException | RuntimeException e) {
            // no getconf: Linux's USER_HZ is 100
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
