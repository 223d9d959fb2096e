package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole comparison in smoke mode (one very short iteration of everything, JMH in-process) and checks that the
 * harness works: every part ran, every file was written and has rows, and no Tomcat is left running. Never asserts on
 * a time: this guards the harness, not the numbers.
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(value = 300)
    void smokeModeRunsEveryPartAndWritesEveryFile(@TempDir Path out) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            rc = Compare.run(new String[] { "--smoke", "--out", out.toString() }, ps);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals(0, rc, "a part of the comparison failed:\n" + printed);

        int setups = ServerSetups.all(List.of(Backend.values())).size();
        int shared = (int) ServerSetups.all(List.of(Backend.values())).stream().filter(ServerSetups.Setup::shared)
                .count();
        // save, load, touch, unchanged x 3 sizes, per backend (store and floor share a row)
        assertEquals(1 + 12 * Backend.values().length, lines(out.resolve("store.csv")).size());
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
                && md.contains("## Failover visibility"), md);
        String svg = Files.readString(out.resolve("chart.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("<rect") && svg.trim().endsWith("</svg>"), svg);
        int steps = Compare.OPS.length * 3 + 1 + 2 * setups + shared; // + 1: the HTTP warm-up
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
    }

    private static List<String> lines(Path p) throws Exception {
        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList();
    }
}
