package io.github.sessionstore.benchmarks;

import java.util.List;
import java.util.Locale;

/** The HTTP part of report.md: the method, the table with its spread and the SIGKILL column, goals, warnings. */
final class HttpReport {

    private HttpReport() {
    }

    /** The second workload's table: many sessions at a fixed rate, latency and CPU against the ceiling's. */
    private static void appendOpenLoop(StringBuilder sb, Results res) {
        HttpComparison.OpenLoad o = res.options.openLoad();
        sb.append(String.format(Locale.ROOT, "%n### Many sessions, open loop at %s req/s%n%nThe second workload: %d"
                + " sessions, the same requests (1 `/change`, then %d `/read`), one request every %.1f ms to the"
                + " sessions in turn (each session thinks %.1f s between its requests), sent on schedule whatever the"
                + " earlier ones take (up to %d at once); latency counts from the time a request was due. Fresh nodes"
                + " per setup and round, after the first workload, %d round(s) interleaved; %.1f s warm-up, %.1f s"
                + " measured. req/s is what was served of what was due in the window (an overloaded setup serves less"
                + " than offered, or errs); × ceiling ratios are round by round.%n%n", HttpSummary.num(o.rate()),
                o.sessions(), res.options.load().reads(), 1000 / o.rate(), o.sessions() / o.rate(), o.threads(),
                res.options.openRounds(),
                o.warmupMillis() / 1000.0, o.measureMillis() / 1000.0));
        sb.append("| setup | kind | Tomcat | req/s | p50 ms | p99 ms | p99 × ceiling | node A CPU µs/req"
                + " | node B CPU µs/req | CPU × ceiling | errors | node A CPU µs/req without JIT"
                + " | node B CPU µs/req without JIT | CPU without JIT × ceiling |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (HttpSummary.Row r : HttpSummary.rows(res, res.openRows)) {
            sb.append("| ").append(res.setupLabel(r.setup().name())).append(" | ")
                    .append(r.setup().kind().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(r.setup().line().prefix).append(" | ").append(r.perSecond().format("")).append(" | ")
                    .append(Report.fmt(r.p50Millis())).append(" | ").append(Report.fmt(r.p99Millis())).append(" | ")
                    .append(r.p99VsCeiling().format("×")).append(" | ").append(r.cpuA().format("")).append(" | ")
                    .append(r.cpuB().format("")).append(" | ").append(r.cpuVsCeiling().format("×")).append(" | ")
                    .append(r.errors()).append(" | ").append(withoutJit(r)).append(" |\n");
        }
    }

    /** The three cells without the JIT compiler's CPU: node A, node B, both over the ceiling's. */
    private static String withoutJit(HttpSummary.Row r) {
        return r.cpuNoJitA().format("") + " | " + r.cpuNoJitB().format("") + " | " + r.cpuNoJitVsCeiling().format("×");
    }

    static void append(StringBuilder sb, Results res) {
        HttpComparison.Load load = res.options.load();
        sb.append("\n## Per request over HTTP\n\n");
        sb.append(String.format(Locale.ROOT, "Method: every setup runs in two fresh JVMs (node A takes the load, node B"
                + " runs beside it; round-robin setups alternate every request between them) and the load generator"
                + " in a third. %d round(s), setups interleaved (A B C … A B C). %d users, closed loop, each doing"
                + " one `/change` (a setAttribute and an in-place change; the session keeps its size) then %d `/read`"
                + " (read-only), with a %d-byte attribute in the"
                + " session%s; %.1f s warm-up, %.1f s measured. Figures are the median over the rounds, (min–max) in"
                + " brackets; × ceiling is the ratio to StandardManager on the same Tomcat line, taken round by"
                + " round. SIGKILL: %d sessions created on node A and changed in place (no setAttribute), node A"
                + " SIGKILLed right after the last response; the share node B still served with the change."
                + " Node CPU: each node JVM's user + system CPU time (every thread: requests, replication, GC, JIT),"
                + " read from /proc/<pid>/stat at the start and the end of the measured window, over the requests"
                + " that ended in it (µs per request; node B's is what it spends beside A: replication, or its half"
                + " of round-robin requests); CPU × ceiling is both nodes' together over the ceiling's, round by round"
                + " (the backend servers' CPU is not in it). Without JIT: the same less what the JIT compiler"
                + " threads (C1/C2 CompilerThread, from /proc/<pid>/task over the same window) spent, because in a"
                + " %.1f s window after a %.1f s warm-up the JIT still compiles, and its roughly fixed CPU per second"
                + " weighs per request inversely to throughput: with it, CPU × ceiling says more about how much code"
                + " is still compiling than about what a request costs.%n%n",
                res.options.rounds(), load.users(), load.reads(), load.payload(), load.grown() == 0 ? ""
                        : " and " + load.grown() / 1024 + " KB of Strings and boxed Longs set once and never changed",
                load.warmupMillis() / 1000.0,
                load.measureMillis() / 1000.0, res.options.level().killSessions, load.measureMillis() / 1000.0,
                load.warmupMillis() / 1000.0));
        sb.append("| setup | kind | Tomcat | req/s | × ceiling | node A CPU µs/req | node B CPU µs/req | CPU × ceiling"
                + " | p50 ms | p99 ms | errors | writes/req | touches/req | in-place change kept after SIGKILL"
                + " | node A CPU µs/req without JIT | node B CPU µs/req without JIT | CPU without JIT × ceiling |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (HttpSummary.Row r : HttpSummary.rows(res)) {
            HttpComparison.KillRow k = r.kill();
            sb.append("| ").append(res.setupLabel(r.setup().name())).append(" | ")
                    .append(r.setup().kind().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(r.setup().line().prefix).append(" | ").append(r.perSecond().format("")).append(" | ")
                    .append(r.vsCeiling().format("×")).append(" | ").append(r.cpuA().format("")).append(" | ")
                    .append(r.cpuB().format("")).append(" | ").append(r.cpuVsCeiling().format("×")).append(" | ")
                    .append(Report.fmt(r.p50Millis())).append(" | ")
                    .append(Report.fmt(r.p99Millis())).append(" | ").append(r.errors()).append(" | ")
                    .append(Report.fmt(r.writes())).append(" | ").append(Report.fmt(r.touches())).append(" | ")
                    .append(k == null ? "n/a" : k.inPlaceKept() + "/" + k.sessions() + (k.sessionKept() > k.inPlaceKept()
                            ? " (" + k.sessionKept() + " without it)" : "")).append(" | ").append(withoutJit(r))
                    .append(" |\n");
        }
        if (!res.openRows.isEmpty()) {
            appendOpenLoop(sb, res);
        }
        List<HttpSummary.Check> check = HttpSummary.versionCheck(res);
        if (!check.isEmpty()) {
            sb.append("\n### What the per-request version check costs in sticky mode\n\nThroughput with the check (the"
                    + " default) over throughput with `assumeStrictStickiness=\"true\"`, round by round.\n\n"
                    + "| backend | with / without |\n|---|---:|\n");
            for (HttpSummary.Check g : check) {
                sb.append("| ").append(g.what()).append(" | ").append(g.measured().format("×")).append(" |\n");
            }
        }
        List<String> warnings = HttpSummary.warnings(res);
        sb.append("\n### Warnings\n\n");
        if (warnings.isEmpty()) {
            sb.append("None: no HA setup beat its no-HA ceiling by more than the spread between rounds.\n");
        }
        for (String w : warnings) {
            sb.append("- WARNING: ").append(w).append('\n');
        }
    }

    /**
     * The goals of issue 24 that this run measured: each ratio round by round, its median and range, and whether the
     * median meets the target; the CPU goals also without the JIT compiler threads.
     */
    static void appendGoals(StringBuilder sb, List<Goals.Goal> goals) {
        sb.append("\n## Goals (issue 24), measured in this run\n\nEach ratio is taken round by round (setup over base in"
                + " the same round); met when its median is on the target's side. CPU: both nodes' CPU per request."
                + " JMH rows: one p50 ratio (no rounds).\n\n| goal | setup / base | target | measured | without JIT"
                + " | met |\n|---|---|---:|---:|---:|---|\n");
        for (Goals.Goal g : goals) {
            sb.append("| ").append(g.what()).append(" | `").append(g.setup()).append("` / `").append(g.base())
                    .append("` | ").append(g.bound().sign).append(' ').append(Report.fmt(g.target())).append("× | ")
                    .append(g.measured().format("×")).append(" | ").append(g.withoutJit().format("×")).append(" | ")
                    .append(g.met() ? "yes" : "**no**").append(" |\n");
        }
    }
}
