package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.github.sessionstore.benchmarks.HttpSummary.Spread;

/**
 * The per-request cost goals (issue 24), each measured in this run against its base, round by round, with its spread:
 * node CPU per request against the ceiling, the grown session against the bounded one, throughput against the ceiling
 * and against Redisson, and (when JMH ran) the store against the raw client on the same bytes. A goal whose setups did
 * not run is left out.
 */
final class Goals {

    /** Which side of the target meets the goal. */
    enum Bound {
        AT_LEAST("≥"), AT_MOST("≤");

        final String sign;

        Bound(String sign) {
            this.sign = sign;
        }
    }

    /**
     * One goal: {@code measured} (the ratio of {@code setup} to {@code base}) is {@code bound} {@code target};
     * {@code withoutJit}: the same ratio without the JIT compiler threads' CPU, for the CPU goals (NaN otherwise).
     */
    record Goal(String what, String setup, String base, Bound bound, double target, Spread measured,
            Spread withoutJit) {
        boolean met() {
            double m = measured.median();
            return !Double.isNaN(m) && (bound == Bound.AT_LEAST ? m >= target : m <= target);
        }
    }

    private static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN);

    private Goals() {
    }

    static List<Goal> of(Results res, List<Report.StoreRow> store) {
        List<Goal> goals = new ArrayList<>();
        for (Backend b : Backend.values()) {
            double target = b == Backend.MEMCACHED || b == Backend.REDIS ? 1.5
                    : b == Backend.FILE || b == Backend.MARIADB || b == Backend.POSTGRESQL ? 2.0 : Double.NaN;
            if (!Double.isNaN(target)) {
                cpu(res, goals, res.backendLabel(b.name()) + ": node CPU per request vs StandardManager", ours(b),
                        "standard", target);
            }
        }
        for (Backend b : ServerSetups.GROWN) {
            cpu(res, goals, res.backendLabel(b.name()) + ": node CPU per request with " + ServerSetups.GROWN_KB
                    + " KB of unchanged values vs the bounded session", ours(b) + "-" + ServerSetups.GROWN_KB + "kb",
                    ours(b), 1.10);
        }
        for (Backend b : List.of(Backend.MEMCACHED, Backend.REDIS)) {
            ratio(res, goals, res.backendLabel(b.name()) + ": throughput vs StandardManager", ours(b), "standard",
                    Bound.AT_LEAST, 0.8, HttpComparison.Sample::perSecond);
        }
        for (Backend b : Backend.values()) {
            for (String redisson : List.of("redisson-tomcat10.1", "redisson-memory-tomcat10.1")) {
                String mode = redisson.contains("memory") ? "MEMORY" : "REDIS";
                ratio(res, goals, res.backendLabel(b.name()) + " (Tomcat 11): throughput vs Redisson readMode=" + mode
                        + " (Tomcat 10.1)", ours(b), redisson, Bound.AT_LEAST, 5.0, HttpComparison.Sample::perSecond);
                ratio(res, goals, res.backendLabel(b.name()) + ": throughput vs Redisson readMode=" + mode
                        + ", both on Tomcat 10.1", ours(b) + "-tomcat10.1", redisson, Bound.AT_LEAST, 5.0,
                        HttpComparison.Sample::perSecond);
            }
        }
        for (Report.StoreRow r : store) {
            if ((r.op().equals("save") || r.op().equals("check")) && r.size() == 1024 && !Double.isNaN(r.ratio())) {
                double v = r.ratio();
                goals.add(new Goal(res.backendLabel(r.backend()) + ": JMH " + r.op() + " (1 KB) vs the raw client"
                        + " on the same bytes, p50", "store", "floor", Bound.AT_MOST, 1.15, new Spread(v, v, v),
                        NONE));
            }
        }
        return goals;
    }

    /** {@code ours-<backend>-write-through}: our store's default setup on Tomcat 11. */
    private static String ours(Backend b) {
        return "ours-" + b.name().toLowerCase(Locale.ROOT) + "-write-through";
    }

    /** Both nodes' CPU per request of {@code setup} over {@code base}'s, at most {@code target}, with and without JIT. */
    private static void cpu(Results res, List<Goal> goals, String what, String setup, String base, double target) {
        HttpComparison.HttpRow a = HttpSummary.find(res, setup);
        HttpComparison.HttpRow b = HttpSummary.find(res, base);
        if (a != null && b != null) {
            goals.add(new Goal(what, setup, base, Bound.AT_MOST, target,
                    HttpSummary.ratio(res, a, b, HttpComparison.Sample::cpu),
                    HttpSummary.ratio(res, a, b, HttpComparison.Sample::cpuWithoutJit)));
        }
    }

    private static void ratio(Results res, List<Goal> goals, String what, String setup, String base, Bound bound,
            double target, ToDoubleFunction<HttpComparison.Sample> f) {
        HttpComparison.HttpRow a = HttpSummary.find(res, setup);
        HttpComparison.HttpRow b = HttpSummary.find(res, base);
        if (a != null && b != null) {
            goals.add(new Goal(what, setup, base, bound, target, HttpSummary.ratio(res, a, b, f), NONE));
        }
    }
}
