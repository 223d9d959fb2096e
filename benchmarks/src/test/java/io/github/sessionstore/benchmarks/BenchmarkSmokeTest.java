package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole comparison in smoke mode (one very short iteration of everything, one JMH fork per trial, one round
 * of every HTTP setup in its own node processes, the scale run at 2 000 sessions) and checks that the harness works:
 * every part ran, every file was written and has rows, the SIGKILL column tells a lost session from a kept one, the
 * stand-in is labelled as such, and no Tomcat, node or server process is left running. Never asserts on a time: this
 * guards the harness, not the numbers.
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(value = 900)
    void smokeModeRunsEveryPartAndWritesEveryFile(@TempDir Path out) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            rc = Compare.run(new String[] { "--smoke", "--out", out.toString() }, ps);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals(0, rc, "a part of the comparison failed:\n" + printed);

        List<Backend> backends = Arrays.stream(Backend.values()).filter(b -> b.unavailableReason() == null).toList();
        List<ServerSetups.Setup> all = new java.util.ArrayList<>(ServerSetups.all(backends, false));
        assertEquals(null, Jvm.tomcat10Unavailable(), "the build copies Tomcat 10.1 for its node processes");
        all.addAll(Peers.all(backends));
        if (System.getenv("CI") != null) {
            // .ci/run installs redis-server: in CI, Redisson's rows are never skipped
            assertTrue(all.stream().anyMatch(x -> x.name().startsWith("redisson")), "no Redisson setup in CI");
        }
        int setups = all.size();
        int shared = (int) all.stream().filter(ServerSetups.Setup::shared).count();
        // save, load, check, touch, unchanged x 1 size (smoke), per backend (store and floor share a row)
        assertEquals(1 + 5 * backends.size(), lines(out.resolve("store.csv")).size());
        assertEquals(1 + backends.size(), lines(out.resolve("scale.csv")).size());
        // Smoke: one round, so one row per setup
        assertEquals(1 + setups, lines(out.resolve("http.csv")).size());
        assertEquals(1 + shared, lines(out.resolve("visibility.csv")).size());
        assertEquals(1 + setups, lines(out.resolve("sigkill.csv")).size());
        boolean jitExcluded = false;
        for (String row : lines(out.resolve("http.csv")).subList(1, 1 + setups)) {
            String[] f = row.split(",");
            assertTrue(Long.parseLong(f[4]) > 0, "no successful request in " + row);
            if (Files.isReadable(Path.of("/proc/self/stat"))) {
                // Node A served the window's requests: its CPU per request was read from /proc, so it is above zero
                assertTrue(!f[11].isEmpty() && Double.parseDouble(f[11]) > 0, "no node A CPU per request in " + row);
            }
            if (Files.isDirectory(Path.of("/proc/self/task"))) {
                // Issue 24: the same less the JIT compiler threads (the last columns, after the quoted label)
                double withoutJit = Double.parseDouble(f[f.length - 2]);
                assertTrue(withoutJit > 0 && withoutJit <= Double.parseDouble(f[11]), "node A without JIT: " + row);
                jitExcluded |= withoutJit < Double.parseDouble(f[11]);
            } else {
                jitExcluded = true;
            }
        }
        // 0.3 s after its warm-up every node still compiles: somewhere the JIT's share was taken out
        assertTrue(jitExcluded, "no JIT CPU taken out of any row");
        // The SIGKILL column tells both outcomes apart: memory-only loses every session, our store keeps every
        // change made in place (so neither a constant nor a broken check passes)
        Map<String, String[]> kills = new java.util.HashMap<>();
        for (String row : lines(out.resolve("sigkill.csv")).subList(1, 1 + setups)) {
            kills.put(row.split(",")[0], row.split(","));
        }
        assertEquals("0", kills.get("standard")[2], "StandardManager kept sessions of a killed node?");
        String[] ours = kills.get("ours-file-write-through");
        assertEquals(ours[1], ours[3], "our file store lost in-place changes at SIGKILL: " + String.join(",", ours));
        // Every node ran the Tomcat line its setup names (NodeMain reports it, NodePair refuses a mismatch)
        String http = Files.readString(out.resolve("http.csv"));
        assertTrue(http.contains("standard-tomcat10.1,ceiling,10.1,"), http);
        String json = Files.readString(out.resolve("jmh.json"));
        assertTrue(json.trim().startsWith("[") && json.contains("\"primaryMetric\""), "raw JMH JSON: " + json);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Store operations") && md.contains("## Per request over HTTP")
                && md.contains("## Failover visibility") && md.contains("## Scale") && md.contains("### Warnings")
                && md.contains("## Goals (issue 24)"), md);
        // The in-JVM stand-in is never shown as MongoDB: every table row of it says so
        for (String line : md.lines().filter(l -> l.startsWith("| ")).toList()) {
            if (line.toLowerCase(java.util.Locale.ROOT).contains("mongodb")) {
                assertTrue(line.contains("not MongoDB"), "stand-in row without its label: " + line);
            }
        }
        for (String f : new String[] { "store.csv", "http.csv", "visibility.csv", "sigkill.csv", "scale.csv" }) {
            for (String row : lines(out.resolve(f))) {
                if (row.toLowerCase(java.util.Locale.ROOT).contains("mongodb")) {
                    assertTrue(row.contains("not MongoDB"), f + ": stand-in row without its label: " + row);
                }
            }
        }
        String svg = Files.readString(out.resolve("chart.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("<rect") && svg.trim().endsWith("</svg>"), svg);
        // servers, JMH (1 size), HTTP (one round), scale
        int steps = backends.size() + JmhRun.OPS.length + setups + backends.size();
        assertTrue(printed.contains("[" + steps + "/" + steps + "]"), "progress lines:\n" + printed);

        // Every Tomcat was stopped: no connector thread on loopback survives (bounded wait for their exit)
        Set<String> left = Set.of();
        for (int i = 0; i < 50; i++) {
            left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("http-nio-127.0.0.1")).collect(Collectors.toSet());
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(left.isEmpty(), "Tomcat threads still running: " + left);
        // Every server process the run started (memcached, mariadbd, postgres) was stopped (bounded wait)
        List<String> children = List.of();
        for (int i = 0; i < 100; i++) {
            children = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .map(p -> p.pid() + " " + p.info().command().orElse("?")).toList();
            if (children.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(children.isEmpty(), "server processes still running: " + children);
    }

    private static List<String> lines(Path p) throws Exception {
        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList();
    }
}
