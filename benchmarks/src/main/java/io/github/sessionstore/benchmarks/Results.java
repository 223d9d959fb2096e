package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;

/**
 * What one comparison measured, and under which {@link Options}: {@link Compare} fills it, {@link Report} (with
 * {@link HttpReport}, {@link HttpSummary}, {@link Chart}) reads it.
 */
final class Results {

    final Options options;
    /** The backends that ran: the options', less those whose server did not start. */
    final List<Backend> backends;
    /** What could not run here (backends, Tomcat 10.1 setups, Redisson), each with its reason. */
    final List<String> skipped;
    final String loadAtStart = Report.loadAverage();

    final List<RunResult> jmh = new ArrayList<>();
    /** Per HTTP setup name, the setup (its kind, Tomcat line, backend, label), in the order they ran. */
    final Map<String, ServerSetups.Setup> setups = new LinkedHashMap<>();
    final List<HttpComparison.HttpRow> httpRows = new ArrayList<>();
    /** The open-loop workload's rows (empty without --open-loop). */
    final List<HttpComparison.HttpRow> openRows = new ArrayList<>();
    final List<HttpComparison.VisibilityRow> visibilityRows = new ArrayList<>();
    final List<HttpComparison.KillRow> killRows = new ArrayList<>();
    final List<ScaleRun.Row> scaleRows = new ArrayList<>();
    /** Per backend, the short note next to each of its numbers (server version, stand-in or not). */
    final Map<Backend, String> tags = new EnumMap<>(Backend.class);
    /** Per backend, what ran (server, version, command). */
    final Map<Backend, String> servers = new EnumMap<>(Backend.class);
    /** The parts that failed, each with its exception; non-empty makes the run's exit code 1. */
    final List<String> failures = new ArrayList<>();

    Results(Options options) {
        this.options = options;
        this.backends = new ArrayList<>(options.backends());
        this.skipped = new ArrayList<>(options.skipped());
    }

    /** {@code setup (server tag)} for setups on a backend server, e.g. the stand-in's "not MongoDB". */
    String setupLabel(String setup) {
        ServerSetups.Setup s = setups.get(setup);
        Backend b = s == null ? null : s.backend();
        return b == null || !servers.containsKey(b) ? setup : setup + " (" + tags.get(b) + ")";
    }

    /** What a setup is, in words (its name when unknown). */
    String describe(String setup) {
        ServerSetups.Setup s = setups.get(setup);
        return s == null ? setup : s.label();
    }

    /** {@code BACKEND (tag)}: how a backend appears next to its numbers. */
    String backendLabel(String backend) {
        try {
            String tag = tags.getOrDefault(Backend.valueOf(backend), "");
            return tag.isEmpty() ? backend : backend + " (" + tag + ")";
        } catch (IllegalArgumentException e) {
            return backend;
        }
    }
}
