package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Another process's threads as Linux sees them ({@code /proc/<pid>/task/<tid>/stat} and {@code status}): name, CPU
 * time (and its system part), voluntary and involuntary context switches. Two snapshots, at the measured window's start and end, say which
 * threads spent a node's CPU per request (request threads, the store client's IO threads, GC, JIT), which the process
 * total does not. Thread names are the kernel's (15 characters, so Tomcat's exec, poller and acceptor threads share
 * one group); digits are dropped to group pools.
 */
final class ProcThreads {

    /** One thread's counters. */
    record Counts(String name, long ticks, long systemTicks, long voluntary, long involuntary) {
    }

    private ProcThreads() {
    }

    /** Every live thread of {@code pid} by tid; empty when /proc cannot be read. */
    static Map<Long, Counts> snapshot(long pid) {
        Map<Long, Counts> out = new HashMap<>();
        if (pid < 0) {
            return out;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    long vol = 0;
                    long invol = 0;
                    for (String line : Files.readAllLines(t.resolve("status"), StandardCharsets.US_ASCII)) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    out.put(Long.parseLong(t.getFileName().toString()), new Counts(name, ProcCpu.ticks(stat),
                            ProcCpu.systemTicks(stat), vol, invol));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or the process is gone
        }
        return out;
    }

    /**
     * The JIT compiler's threads: HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1" (the kernel keeps 15
     * characters: "C2 CompilerThre"; the THREADS lines' group "C#_CompilerThre").
     */
    static boolean compiler(String name) {
        return name.contains("CompilerThre");
    }

    /**
     * The process's CPU µs per request between two readings ({@link ProcCpu#nanos}) less what its JIT compiler threads
     * spent between the two snapshots: in a short window the JIT still compiles, and its roughly fixed CPU per second
     * weighs per request inversely to throughput. NaN when a snapshot is missing (no /proc) or the process total is.
     * A compiler thread born in the window counts from zero; what one that ended in it spent stays in the figure (the
     * process total keeps it, the last snapshot has lost it). The kernel rounds each thread's time and the process's
     * to ticks apart, so at an idle node the difference may fall below zero by up to a tick per compiler thread: that
     * is 0; more is NaN (the readings do not fit).
     */
    static double microsPerRequestWithoutCompiler(long beforeNanos, long afterNanos, Map<Long, Counts> before,
            Map<Long, Counts> after, long requests) {
        if (before.isEmpty() || after.isEmpty() || afterNanos < 0) {
            return Double.NaN;
        }
        long ticks = 0;
        int threads = 0;
        for (Map.Entry<Long, Counts> e : after.entrySet()) {
            Counts a = e.getValue();
            if (compiler(a.name())) {
                Counts b = before.get(e.getKey());
                ticks += a.ticks() - (b == null || !b.name().equals(a.name()) ? 0 : b.ticks());
                threads++;
            }
        }
        long tick = 1_000_000_000L / ProcCpu.TICKS_PER_SECOND;
        long without = afterNanos - ticks * tick;
        if (without < beforeNanos && without >= beforeNanos - threads * tick) {
            without = beforeNanos;
        }
        return ProcCpu.microsPerRequest(beforeNanos, without, requests);
    }

    /**
     * Lines {@code THREADS node=X group=G threads=N cpuUs=C sysUs=S vcs=V nvcs=I} per group of threads (per request served
     * in the window), the busiest first; a thread born in the window counts from zero, one that ended is lost.
     */
    static List<String> perRequest(String node, Map<Long, Counts> before, Map<Long, Counts> after, long requests) {
        Map<String, long[]> groups = new TreeMap<>();
        after.forEach((tid, a) -> {
            Counts b = before.getOrDefault(tid, new Counts(a.name(), 0, 0, 0, 0));
            long[] g = groups.computeIfAbsent(a.name().replaceAll("[0-9]+", "#"), k -> new long[5]);
            g[0]++;
            g[1] += a.ticks() - b.ticks();
            g[2] += a.voluntary() - b.voluntary();
            g[3] += a.involuntary() - b.involuntary();
            g[4] += a.systemTicks() - b.systemTicks();
        });
        List<String> lines = new ArrayList<>();
        double n = Math.max(1, requests);
        long nanosPerTick = 1_000_000_000L / ProcCpu.TICKS_PER_SECOND;
        groups.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .forEach(e -> lines.add(String.format(Locale.ROOT,
                        "THREADS node=%s group=%s threads=%d cpuUs=%.2f sysUs=%.2f vcs=%.3f nvcs=%.3f", node,
                        e.getKey().replace(' ', '_'), e.getValue()[0], e.getValue()[1] * nanosPerTick / 1000.0 / n, e.getValue()[4] * nanosPerTick / 1000.0 / n,
                        e.getValue()[2] / n, e.getValue()[3] / n)));
        return lines;
    }
}
