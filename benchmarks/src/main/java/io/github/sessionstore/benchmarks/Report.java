package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.catalina.util.ServerInfo;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.util.Statistics;

/**
 * Writes what {@link Compare} measured ({@link Results}): jmh.json, store.csv, http.csv, visibility.csv, sigkill.csv,
 * scale.csv, report.md, chart.svg ({@link HttpReport} writes the HTTP part of the report).
 */
final class Report {

    /** One store benchmark, store and floor side by side (times in microseconds; NaN when absent). */
    record StoreRow(String backend, String op, int size, double storeP50, double storeP99, double storeMean,
            double floorP50, double floorP99, double floorMean, long samples) {
        double ratio() {
            return floorP50 > 0 ? storeP50 / floorP50 : Double.NaN;
        }
    }

    private Report() {
    }

    static void write(Results res, double seconds, PrintStream console) throws IOException {
        Path out = res.options.out();
        try (PrintStream json = new PrintStream(Files.newOutputStream(out.resolve("jmh.json")), true, "UTF-8")) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(res.jmh);
        }
        List<StoreRow> store = storeRows(res.jmh);
        writeCsvs(res, store);
        String md = markdown(res, store, seconds);
        Files.writeString(out.resolve("report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("chart.svg"), Chart.svg(res, store), StandardCharsets.UTF_8);
        console.println();
        console.println(md);
        console.println("Written: " + out.toAbsolutePath() + "/{jmh.json,store.csv,http.csv,visibility.csv,"
                + "sigkill.csv,scale.csv,report.md,chart.svg,logs/}"
                + (res.openRows.isEmpty() ? "" : " and open-loop.csv"));
    }

    static List<StoreRow> storeRows(List<RunResult> results) {
        // key: backend/op/size -> [store sample, floor sample, store avgt, floor avgt]
        Map<String, RunResult[]> byKey = new LinkedHashMap<>();
        for (RunResult r : results) {
            var p = r.getParams();
            String op = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            String key = p.getParam("backend") + "/" + op + "/" + p.getParam("size");
            int slot = ("floor".equals(p.getParam("impl")) ? 1 : 0) + (p.getMode() == Mode.AverageTime ? 2 : 0);
            byKey.computeIfAbsent(key, k -> new RunResult[4])[slot] = r;
        }
        List<StoreRow> rows = new ArrayList<>();
        for (Map.Entry<String, RunResult[]> e : byKey.entrySet()) {
            String[] k = e.getKey().split("/");
            RunResult[] v = e.getValue();
            rows.add(new StoreRow(k[0], k[1], Integer.parseInt(k[2]), pct(v[0], 50), pct(v[0], 99),
                    mean(v[2] != null ? v[2] : v[0]), pct(v[1], 50), pct(v[1], 99), mean(v[3] != null ? v[3] : v[1]),
                    v[0] == null ? 0 : v[0].getPrimaryResult().getStatistics().getN()));
        }
        return rows;
    }

    private static double pct(RunResult r, double p) {
        if (r == null) {
            return Double.NaN;
        }
        Statistics s = r.getPrimaryResult().getStatistics();
        return s.getN() == 0 ? Double.NaN : s.getPercentile(p);
    }

    private static double mean(RunResult r) {
        return r == null ? Double.NaN : r.getPrimaryResult().getScore();
    }

    private static void writeCsvs(Results res, List<StoreRow> store) throws IOException {
        Path out = res.options.out();
        StringBuilder sb = new StringBuilder(
                "backend,op,payload_bytes,store_p50_us,store_p99_us,store_mean_us,floor_p50_us,floor_p99_us,"
                        + "floor_mean_us,ratio_p50,samples,backend_label\n");
        for (StoreRow r : store) {
            sb.append(String.join(",", r.backend(), r.op(), Integer.toString(r.size()), num(r.storeP50()),
                    num(r.storeP99()), num(r.storeMean()), num(r.floorP50()), num(r.floorP99()), num(r.floorMean()),
                    num(r.ratio()), Long.toString(r.samples()), csv(res.backendLabel(r.backend())))).append('\n');
        }
        Files.writeString(out.resolve("store.csv"), sb, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("http.csv"), httpCsv(res, res.httpRows), StandardCharsets.UTF_8);
        if (!res.openRows.isEmpty()) {
            Files.writeString(out.resolve("open-loop.csv"), httpCsv(res, res.openRows), StandardCharsets.UTF_8);
        }
        sb = new StringBuilder("setup,samples,visible_within_2s,p50_ms,p99_ms,max_ms,unseen_last_reply,label\n");
        for (HttpComparison.VisibilityRow r : res.visibilityRows) {
            sb.append(String.join(",", r.setup(), Integer.toString(r.samples()), Integer.toString(r.visible()),
                    num(r.p50Millis()), num(r.p99Millis()), num(r.maxMillis()), csv(r.unseen()),
                    csv(res.setupLabel(r.setup()) + ": " + res.describe(r.setup())))).append('\n');
        }
        Files.writeString(out.resolve("visibility.csv"), sb, StandardCharsets.UTF_8);
        sb = new StringBuilder("setup,sessions,session_kept,in_place_change_kept,label\n");
        for (HttpComparison.KillRow r : res.killRows) {
            sb.append(String.join(",", r.setup(), Integer.toString(r.sessions()), Integer.toString(r.sessionKept()),
                    Integer.toString(r.inPlaceKept()), csv(res.setupLabel(r.setup())))).append('\n');
        }
        Files.writeString(out.resolve("sigkill.csv"), sb, StandardCharsets.UTF_8);
        sb = new StringBuilder("backend,stored,expired,sweep_ms,deserialized,claimed,save_p50_us_small,"
                + "save_p99_us_small,small_stored,save_p50_us_large,save_p99_us_large,saves,load_s,note,"
                + "backend_label\n");
        for (ScaleRun.Row r : res.scaleRows) {
            sb.append(String.join(",", r.backend(), Integer.toString(r.stored()), Integer.toString(r.expired()),
                    num(r.sweepMillis()), r.deserialized() < 0 ? "" : Long.toString(r.deserialized()),
                    r.claimed() < 0 ? "" : Long.toString(r.claimed()), num(r.smallP50()), num(r.smallP99()),
                    Integer.toString(r.smallStored()), num(r.largeP50()), num(r.largeP99()),
                    Integer.toString(r.saves()), num(r.loadSeconds()), csv(r.note()),
                    csv(res.backendLabel(r.backend())))).append('\n');
        }
        Files.writeString(out.resolve("scale.csv"), sb, StandardCharsets.UTF_8);
    }

    /** Per setup and round, one workload's samples. */
    private static String httpCsv(Results res, List<HttpComparison.HttpRow> rows) {
        StringBuilder sb = new StringBuilder("setup,kind,tomcat,round,requests,errors,requests_per_s,p50_ms,p99_ms,"
                + "writes_per_request,touches_per_request,node_a_cpu_us_per_request,node_b_cpu_us_per_request,label,"
                + "node_a_cpu_us_per_request_without_jit,node_b_cpu_us_per_request_without_jit\n");
        for (HttpComparison.HttpRow r : rows) {
            ServerSetups.Setup setup = res.setups.get(r.setup());
            for (HttpComparison.Sample x : r.samples()) {
                sb.append(String.join(",", r.setup(), setup.kind().name().toLowerCase(Locale.ROOT),
                        setup.line().prefix, Integer.toString(x.round() + 1), Long.toString(x.requests()),
                        Long.toString(x.errors()), num(x.perSecond()), num(x.p50Millis()), num(x.p99Millis()),
                        num(x.writes()), num(x.touches()), num(x.cpuA()), num(x.cpuB()),
                        csv(res.setupLabel(r.setup()) + ": " + res.describe(r.setup())), num(x.cpuNoJitA()),
                        num(x.cpuNoJitB()))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String csv(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String num(double d) {
        return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d);
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        if (d >= 100) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        if (d >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    static String size(int bytes) {
        return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " B";
    }

    private static String markdown(Results res, List<StoreRow> store, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append("# sessionstore comparison (").append(res.options.level().name().toLowerCase()).append(" mode)\n\n");
        sb.append("- date: ").append(ZonedDateTime.now()).append('\n');
        sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(cpuModel()).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append('\n');
        sb.append("- java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        sb.append("- tomcat: ").append(ServerInfo.getServerInfo()).append(" embedded (JMH; HTTP nodes, except the "
                + "Tomcat 10.1 rows: tomcat-embed-core 10.1)\n");
        sb.append(String.format(Locale.ROOT, "- wall time: %.0f s%n", seconds));
        sb.append("- load average (1/5/15 min) at start: ").append(res.loadAtStart).append(", at end: ")
                .append(loadAverage()).append(" (numbers from a busy machine are not comparable)\n");
        sb.append("- backends: ").append(res.backends)
                .append(res.skipped.isEmpty() ? "" : ", skipped: " + res.skipped).append('\n');
        if (!store.isEmpty()) {
            sb.append("\n## Store operations (JMH, single thread, µs; floor = raw client, same bytes)\n\n");
            sb.append("| backend | op | payload | store p50 | store p99 | store mean | floor p50 | floor p99 | "
                    + "store/floor (p50) |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (StoreRow r : store) {
                sb.append("| ").append(res.backendLabel(r.backend())).append(" | ").append(r.op()).append(" | ")
                        .append(size(r.size()))
                        .append(" | ").append(fmt(r.storeP50())).append(" | ").append(fmt(r.storeP99())).append(" | ")
                        .append(fmt(r.storeMean())).append(" | ").append(fmt(r.floorP50())).append(" | ")
                        .append(fmt(r.floorP99())).append(" | ")
                        .append(Double.isNaN(r.ratio()) ? "n/a" : fmt(r.ratio()) + "x").append(" |\n");
            }
            sb.append("\nsave = changed session (serialize + digest + full write); load = read + deserialize; "
                    + "check = a sticky request's version check of the local copy (floor: a raw read of the record); "
                    + "touch = unchanged session whose expiry is due (expiry-only update); unchanged = unchanged "
                    + "session, fresh expiry (serialize + digest, no I/O; no floor).\n");
        }
        if (!res.httpRows.isEmpty()) {
            HttpReport.append(sb, res);
        }
        List<Goals.Goal> goals = Goals.of(res, store);
        if (!goals.isEmpty()) {
            HttpReport.appendGoals(sb, goals);
        }
        if (!res.visibilityRows.isEmpty()) {
            sb.append("\n## Failover visibility: new session changed on node A, until node B serves it (ms)\n\n");
            sb.append("| setup | samples | seen within 2 s | p50 | p99 | max | B's last answer when unseen |\n"
                    + "|---|---:|---:|---:|---:|---:|---|\n");
            for (HttpComparison.VisibilityRow r : res.visibilityRows) {
                sb.append("| ").append(res.setupLabel(r.setup())).append(" | ").append(r.samples()).append(" | ")
                        .append(r.visible())
                        .append(" | ").append(fmt(r.p50Millis())).append(" | ").append(fmt(r.p99Millis()))
                        .append(" | ").append(fmt(r.maxMillis())).append(" | ")
                        .append(r.unseen().isEmpty() ? "-" : r.unseen()).append(" |\n");
            }
            sb.append("\nIncludes one HTTP round trip to node B (the first poll that sees it). Unseen: `none` = B did "
                    + "not know the session, `count=0` = B had the session without the change.\n");
        }
        if (!res.scaleRows.isEmpty()) {
            ScaleRun.Row first = res.scaleRows.get(0);
            sb.append("\n## Scale: ").append(first.stored()).append(" stored sessions, 1% expired\n\n");
            sb.append("| backend | stored | expired | one processExpires() ms | deserialized | claimed | save p50 / p99 µs at ")
                    .append(first.smallStored()).append(" | save p50 / p99 µs at ").append(first.stored())
                    .append(" | note |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (ScaleRun.Row r : res.scaleRows) {
                sb.append("| ").append(res.backendLabel(r.backend())).append(" | ").append(r.stored()).append(" | ")
                        .append(r.expired()).append(" | ").append(fmt(r.sweepMillis())).append(" | ")
                        .append(r.deserialized() < 0 ? "n/a" : Long.toString(r.deserialized())).append(" | ")
                        .append(r.claimed() < 0 ? "n/a" : Long.toString(r.claimed())).append(" | ")
                        .append(fmt(r.smallP50())).append(" / ").append(fmt(r.smallP99())).append(" | ")
                        .append(fmt(r.largeP50())).append(" / ").append(fmt(r.largeP99())).append(" | ")
                        .append(r.note().isEmpty() ? "-" : r.note()).append(" |\n");
            }
            sb.append("\nRecords written through the backend SPI (").append(first.saves())
                    .append(" saves of changed sessions with a 256-byte payload through the store at each size, single thread, after as many unmeasured ones). "
                            + "Deserialized = sessions whose attribute's readObject ran during the sweep: the aim is "
                            + "the expired ones only.\n");
        }
        if (!res.tags.isEmpty()) {
            sb.append("\n## Backends\n\n");
            for (var e : res.tags.entrySet()) {
                String server = res.servers.get(e.getKey());
                sb.append("- ").append(res.backendLabel(e.getKey().name())).append(": ")
                        .append(server == null ? "no server" : server).append('\n');
            }
        }
        if (!res.setups.isEmpty()) {
            sb.append("\n## What ran\n\n");
            for (ServerSetups.Setup s : res.setups.values()) {
                sb.append("- `").append(res.setupLabel(s.name())).append("`: ").append(s.label()).append('\n');
            }
        }
        return sb.toString();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown CPU";
    }
}
