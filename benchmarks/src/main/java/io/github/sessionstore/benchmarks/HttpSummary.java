package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP rounds reduced to what the report says: per setup its median and range, its ratio to the ceiling of its
 * Tomcat line (taken round by round), what the version check costs, and the warnings a reader needs ({@link Goals}
 * reads the goals from the same rows).
 */
final class HttpSummary {

    /** A median and its range over the rounds. */
    record Spread(double median, double min, double max) {
        static Spread of(double[] values) {
            return new Spread(Stats.median(values), Stats.min(values), Stats.max(values));
        }

        String format(String unit) {
            if (Double.isNaN(median)) {
                return "n/a";
            }
            return num(median) + unit + " (" + num(min) + "–" + num(max) + ")";
        }
    }

    /**
     * One setup's line of the table; {@code cpuA}, {@code cpuB}: each node's CPU µs per request, {@code cpuVsCeiling}:
     * both nodes' together over the ceiling's, round by round; {@code p99VsCeiling} likewise; {@code cpuNoJitA},
     * {@code cpuNoJitB}, {@code cpuNoJitVsCeiling}: the same without the JIT compiler threads' CPU.
     */
    record Row(ServerSetups.Setup setup, Spread perSecond, Spread vsCeiling, double p50Millis, double p99Millis,
            long errors, double writes, double touches, HttpComparison.KillRow kill, Spread cpuA, Spread cpuB,
            Spread cpuVsCeiling, Spread p99VsCeiling, Spread cpuNoJitA, Spread cpuNoJitB, Spread cpuNoJitVsCeiling) {
    }

    /** What the version check costs on one backend: throughput with it over throughput without, round by round. */
    record Check(String what, Spread measured) {
    }

    private HttpSummary() {
    }

    static List<Row> rows(Results res) {
        return rows(res, res.httpRows);
    }

    /** The rows of one workload's samples ({@code res.httpRows} or {@code res.openRows}). */
    static List<Row> rows(Results res, List<HttpComparison.HttpRow> workload) {
        List<Row> rows = new ArrayList<>();
        for (HttpComparison.HttpRow r : workload) {
            ServerSetups.Setup s = res.setups.get(r.setup());
            HttpComparison.HttpRow ceiling = find(workload, ceilingOf(s));
            HttpComparison.KillRow kill = res.killRows.stream().filter(k -> k.setup().equals(r.setup())).findFirst()
                    .orElse(null);
            Spread none = new Spread(Double.NaN, Double.NaN, Double.NaN);
            rows.add(new Row(s, Spread.of(r.perSecond()), ceiling == null ? none : ratio(res, r, ceiling),
                    r.median(HttpComparison.Sample::p50Millis), r.median(HttpComparison.Sample::p99Millis), r.errors(),
                    r.median(HttpComparison.Sample::writes), r.median(HttpComparison.Sample::touches), kill,
                    Spread.of(r.all(HttpComparison.Sample::cpuA)), Spread.of(r.all(HttpComparison.Sample::cpuB)),
                    ceiling == null ? none : ratio(res, r, ceiling, HttpComparison.Sample::cpu),
                    ceiling == null ? none : ratio(res, r, ceiling, HttpComparison.Sample::p99Millis),
                    Spread.of(r.all(HttpComparison.Sample::cpuNoJitA)), Spread.of(r.all(HttpComparison.Sample::cpuNoJitB)),
                    ceiling == null ? none : ratio(res, r, ceiling, HttpComparison.Sample::cpuWithoutJit)));
        }
        return rows;
    }

    private static String ceilingOf(ServerSetups.Setup s) {
        return ServerSetups.standard(s.line()).name();
    }

    /** The row of {@code setup} in the first workload's results, or null when it did not run. */
    static HttpComparison.HttpRow find(Results res, String setup) {
        return find(res.httpRows, setup);
    }

    private static HttpComparison.HttpRow find(List<HttpComparison.HttpRow> rows, String setup) {
        return rows.stream().filter(r -> r.setup().equals(setup)).findFirst().orElse(null);
    }

    /** Round by round, {@code a / b} of the throughput. */
    private static Spread ratio(Results res, HttpComparison.HttpRow a, HttpComparison.HttpRow b) {
        return ratio(res, a, b, HttpComparison.Sample::perSecond);
    }

    /** Round by round, {@code f(a) / f(b)}. */
    static Spread ratio(Results res, HttpComparison.HttpRow a, HttpComparison.HttpRow b,
            java.util.function.ToDoubleFunction<HttpComparison.Sample> f) {
        double[] ra = new double[res.options.rounds()];
        double[] rb = new double[res.options.rounds()];
        for (int i = 0; i < ra.length; i++) {
            ra[i] = a.of(i, f);
            rb[i] = b.of(i, f);
        }
        return Spread.of(Stats.ratios(ra, rb));
    }

    /** What the per-request version check costs in sticky mode: default vs assumeStrictStickiness, per backend. */
    static List<Check> versionCheck(Results res) {
        List<Check> list = new ArrayList<>();
        for (Backend b : Backend.values()) {
            String name = b.name().toLowerCase(Locale.ROOT);
            HttpComparison.HttpRow with = find(res, "ours-" + name + "-write-through");
            HttpComparison.HttpRow without = find(res, "ours-" + name + "-strictsticky-write-through");
            if (with != null && without != null) {
                list.add(new Check(res.backendLabel(b.name()) + ": with the check vs without",
                        ratio(res, with, without)));
            }
        }
        return list;
    }

    /**
     * An HA setup whose median beats its no-HA ceiling by more than the rounds' spread: something in the method is
     * off (e.g. a setup that does not really replicate), and the reader should know.
     */
    static List<String> warnings(Results res) {
        List<String> warnings = new ArrayList<>();
        if (res.options.rounds() < 2) {
            warnings.add("one round only: no spread between rounds, so no setup can be checked against its ceiling");
            return warnings;
        }
        for (Row r : rows(res)) {
            if (r.setup().kind() == ServerSetups.Kind.CEILING) {
                continue;
            }
            HttpComparison.HttpRow ceiling = find(res, ceilingOf(r.setup()));
            if (ceiling == null) {
                continue;
            }
            Spread base = Spread.of(ceiling.perSecond());
            double spread = Math.max(r.perSecond().max() - r.perSecond().min(), base.max() - base.min());
            double excess = r.perSecond().median() - base.median();
            if (excess > spread) {
                warnings.add(String.format(Locale.ROOT, "%s beats its no-HA ceiling %s by %.0f req/s, more than the"
                        + " spread between rounds (%.0f req/s): its number is suspect", r.setup().name(),
                        ceilingOf(r.setup()), excess, spread));
            }
        }
        return warnings;
    }

    static String num(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, d >= 100 ? "%.0f" : d >= 10 ? "%.1f" : "%.2f", d);
    }
}
