package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Writes what {@link Soak} sampled: soak.csv, report.md (its section), soak.svg. */
final class SoakReport {

    /** A sampled measure, its unit and the growth its flatness verdict allows ({@code null}: no verdict). */
    record Measure(String name, String unit, ToDoubleFunction<Soak.Sample> value, Flatness rule) {
    }

    static final List<Measure> MEASURES = List.of(
            new Measure("heap after GC", "MB", Soak.Sample::heapMb, new Flatness(0.25, 16)),
            new Measure("live threads", "", Soak.Sample::threads, new Flatness(0.10, 2)),
            new Measure("open file descriptors", "", Soak.Sample::fds, new Flatness(0.10, 5)),
            new Measure("store connections", "", Soak.Sample::connections, new Flatness(0, 1)),
            new Measure("requests served per sample", "", s -> s.served(), null),
            new Measure("failed requests per sample", "", s -> s.errors(), null));

    private SoakReport() {
    }

    static void write(Soak soak, Soak.Settings settings) throws IOException {
        List<Soak.Sample> samples;
        synchronized (soak.samples) {
            samples = new ArrayList<>(soak.samples);
        }
        StringBuilder csv = new StringBuilder("seconds,node,pid,heap_after_gc_mb,threads,fds,store_connections,served,"
                + "errors\n");
        for (Soak.Sample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.1f,%s,%d,%s,%s,%s,%s,%d,%d%n", s.seconds(), name(s.node()),
                    s.pid(), cell(s.heapMb()), cell(s.threads()), cell(s.fds()), cell(s.connections()), s.served(),
                    s.errors()));
        }
        Files.writeString(settings.out().resolve("soak.csv"), csv, StandardCharsets.UTF_8);
        String md = markdown(soak, settings, samples);
        Files.writeString(settings.out().resolve("report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(settings.out().resolve("soak.svg"), SoakChart.svg(soak, settings, samples),
                StandardCharsets.UTF_8);
        soak.console().println();
        soak.console().println(md);
        soak.console().println("Written: " + settings.out().toAbsolutePath() + "/{soak.csv,report.md,soak.svg,logs/}");
    }

    static String markdown(Soak soak, Soak.Settings settings, List<Soak.Sample> samples) {
        StringBuilder md = new StringBuilder("## Soak\n\n");
        md.append(String.format(Locale.ROOT, "Our %s store, write-through, on two Tomcat 11 nodes; store: %s; %d s of"
                + " open-loop load at %s req/s over %d sessions (each request to the session's node, to the other one"
                + " while its node restarts; 1 `/change` + %d `/read`, %d B attribute); one sample per node every %d s."
                + " Every minute one node (a, b, a, ...) gets a SIGTERM and is started again.%n%n",
                settings.backend(), soak.server, settings.seconds(), HttpSummary.num(settings.rate()),
                settings.sessions(), Soak.READS, Soak.PAYLOAD, settings.sampleSeconds()));
        soak.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        synchronized (soak.events) {
            for (Soak.Event e : soak.events) {
                md.append(String.format(Locale.ROOT, "- +%.0f s: %s%n", e.seconds(), e.what()));
            }
        }
        if (soak.total != null) {
            md.append(String.format(Locale.ROOT, "- load: %d requests answered 200, %d failed, p50 %s ms, p99 %s ms "
                    + "(from each request's due time)%n", soak.total.requests(), soak.total.errors(),
                    HttpSummary.num(soak.total.p50Millis()), HttpSummary.num(soak.total.p99Millis())));
        }
        md.append("\n| measure | node | first minute (mean) | last minute (mean) | first third max | last third max |"
                + " limit | verdict |\n|---|---|---|---|---|---|---|---|\n");
        for (Measure m : MEASURES) {
            for (int node = 0; node < 2; node++) {
                int n = node;
                List<Soak.Sample> mine = samples.stream().filter(s -> s.node() == n).toList();
                double[] t = mine.stream().mapToDouble(Soak.Sample::seconds).toArray();
                double[] v = mine.stream().mapToDouble(m.value()).toArray();
                Flatness rule = m.rule() == null ? new Flatness(0, 0) : m.rule();
                Flatness.Result r = rule.of(t, v, settings.seconds());
                md.append(String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %s | %s | %s | %s |%n", m.name(),
                        m.unit().isEmpty() ? "" : " (" + m.unit() + ")", name(node), HttpSummary.num(r.firstMinute()),
                        HttpSummary.num(r.lastMinute()), HttpSummary.num(r.firstThirdMax()),
                        HttpSummary.num(r.lastThirdMax()), m.rule() == null ? "" : HttpSummary.num(r.limit()),
                        m.rule() == null ? "" : r.verdict()));
            }
        }
        md.append("\nFlat: ");
        List<String> rules = new ArrayList<>();
        for (Measure m : MEASURES) {
            if (m.rule() != null) {
                rules.add(m.name() + ": " + m.rule().describe());
            }
        }
        md.append(String.join("; ", rules)).append(". Each node runs at most two minutes between its restarts, so"
                + " a leak inside one process shows only as far as it grows in that time; what outlives a restart"
                + " (the store's data, the server's connections) is what the run's length tests. Chart: soak.svg"
                + " (node restarts grey, the server's restart red).\n");
        if (!soak.failures.isEmpty()) {
            md.append("\n**Failures:** ").append(String.join("; ", soak.failures)).append('\n');
        }
        return md.toString();
    }

    static String name(int node) {
        return node == 0 ? "a" : "b";
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }
}
