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
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole comparison in smoke mode (one very short iteration of everything, JMH in-process, every backend that
 * can run here, the scale run at 2 000 sessions) and checks that the harness works: every part ran, every file was
 * written and has rows, the stand-in is labelled as such, and no Tomcat or server process is left running. Never
 * asserts on a time: this guards the harness, not the numbers.
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(value = 600)
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
        List<ServerSetups.Setup> all = ServerSetups.all(backends, false);
        int setups = all.size();
        int shared = (int) all.stream().filter(ServerSetups.Setup::shared).count();
        // save, load, touch, unchanged x 1 size (smoke), per backend (store and floor share a row)
        assertEquals(1 + 4 * backends.size(), lines(out.resolve("store.csv")).size());
        assertEquals(1 + backends.size(), lines(out.resolve("scale.csv")).size());
        assertEquals(1 + 2 * setups, lines(out.resolve("http.csv")).size());
        assertEquals(1 + shared, lines(out.resolve("visibility.csv")).size());
        for (String row : lines(out.resolve("http.csv")).subList(1, 1 + 2 * setups)) {
            String[] f = row.split(",");
            assertTrue(Long.parseLong(f[3]) > 0, "no successful request in " + row);
        }
        String json = Files.readString(out.resolve("jmh.json"));
        assertTrue(json.trim().startsWith("[") && json.contains("\"primaryMetric\""), "raw JMH JSON: " + json);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Store operations") && md.contains("## Per request over HTTP")
                && md.contains("## Failover visibility") && md.contains("## Scale"), md);
        // The in-JVM stand-in is never shown as MongoDB: every table row of it says so
        for (String line : md.lines().filter(l -> l.startsWith("| ")).toList()) {
            if (line.toLowerCase(java.util.Locale.ROOT).contains("mongodb")) {
                assertTrue(line.contains("not MongoDB"), "stand-in row without its label: " + line);
            }
        }
        for (String f : new String[] { "store.csv", "http.csv", "visibility.csv", "scale.csv" }) {
            for (String row : lines(out.resolve(f))) {
                if (row.toLowerCase(java.util.Locale.ROOT).contains("mongodb")) {
                    assertTrue(row.contains("not MongoDB"), f + ": stand-in row without its label: " + row);
                }
            }
        }
        String svg = Files.readString(out.resolve("chart.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("<rect") && svg.trim().endsWith("</svg>"), svg);
        // servers, JMH (1 size), HTTP warm-up, HTTP, scale
        int steps = backends.size() + Compare.OPS.length + 1 + 2 * setups + shared + backends.size();
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
