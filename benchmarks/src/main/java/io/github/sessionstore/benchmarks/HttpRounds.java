package io.github.sessionstore.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The HTTP comparison of a run: every setup in its own pair of fresh node JVMs ({@link NodePair}) with the load
 * generator in a third, over interleaved rounds; its rows go into the run's {@link Results}.
 */
final class HttpRounds {

    private final Options options;
    private final Results results;
    private final RunLog log;

    HttpRounds(Options options, Results results, RunLog log) {
        this.options = options;
        this.results = results;
        this.log = log;
    }

    /**
     * Every setup in fresh node JVMs, round after round (A B C ... A B C); the first round also measures visibility
     * and the SIGKILL check, after its load. Then the open loop, when it runs, the same way.
     */
    void run(List<ServerSetups.Setup> setups, List<SharedServer> started) {
        if (setups.stream().anyMatch(s -> s.name().startsWith("redisson"))) {
            try {
                // The REDIS backend's server when it runs (then acquire does not own it), else Redisson's own
                SharedServer redis = Peers.redis();
                started.add(redis);
                System.setProperty(Peers.REDIS_PROPERTY, redis.endpoint());
                log.console().println("  Redisson's server: " + redis.description());
            } catch (Exception e) {
                log.failed("starting redis-server for Redisson", e);
                setups = setups.stream().filter(s -> !s.name().startsWith("redisson")).toList();
                log.skip(options.rounds());
            }
        }
        setups.forEach(s -> results.setups.put(s.name(), s));
        HttpComparison.Load load = options.load();
        results.httpRows.addAll(rounds(setups, options.rounds(), "http", "", round -> load.users() + " users, 1 change + "
                + load.reads() + " reads" + (round == 0 ? ", then visibility and SIGKILL check" : ""),
                (setup, pair, round, loadLog) -> HttpComparison.load(setup, pair, of(setup, load), round, loadLog),
                (setup, pair) -> visibilityAndKill(setup, pair, load)));
        HttpComparison.OpenLoad open = options.openLoad();
        if (open != null) {
            results.openRows.addAll(rounds(Options.openLoopSetups(setups),
                    options.openRounds(), "open loop", "open-", round -> open.sessions() + " sessions, "
                    + HttpSummary.num(open.rate()) + " req/s",
                    (setup, pair, round, loadLog) -> HttpComparison.openLoad(setup, pair, load, open, round, loadLog),
                    (setup, pair) -> {
                    }));
        }
    }

    /** The run's load, with the setup's own grown sessions on top of {@code --session-kb}'s. */
    private static HttpComparison.Load of(ServerSetups.Setup setup, HttpComparison.Load load) {
        return load.grownBy(load.grown() + setup.grownBytes());
    }

    /** After the first round's load: how soon node B sees a change (shared setups), then the SIGKILL check. */
    private void visibilityAndKill(ServerSetups.Setup setup, NodePair pair, HttpComparison.Load load)
            throws Exception {
        if (setup.shared()) {
            results.visibilityRows.add(HttpComparison.visibility(setup, pair, options.level().visibilitySamples,
                    2_000));
        }
        results.killRows.add(HttpComparison.killCheck(setup, pair, options.level().killSessions, load.payload()));
    }

    /** One round of one setup on its fresh nodes: its sample ({@code loadLog}: the load generator's log). */
    private interface Measure {
        HttpComparison.Sample run(ServerSetups.Setup setup, NodePair pair, int round, Path loadLog) throws Exception;
    }

    /** What the first round also checks on a setup's nodes, after its load. */
    private interface Check {
        void run(ServerSetups.Setup setup, NodePair pair) throws Exception;
    }

    /**
     * One workload: every setup in fresh node JVMs, round after round (A B C ... A B C), {@code firstRound} after the
     * first round's load; a row per setup with samples.
     */
    private List<HttpComparison.HttpRow> rounds(List<ServerSetups.Setup> setups, int rounds, String workload,
            String tagPrefix, IntFunction<String> what, Measure measure, Check firstRound) {
        Map<String, List<HttpComparison.Sample>> samples = new LinkedHashMap<>();
        setups.forEach(s -> samples.put(s.name(), new ArrayList<>()));
        Path logs = options.out().resolve("logs");
        for (int round = 0; round < rounds; round++) {
            for (ServerSetups.Setup setup : setups) {
                log.step(workload + " round " + (round + 1) + "/" + rounds + " " + setup.name() + ": "
                        + what.apply(round));
                String tag = tagPrefix + "r" + (round + 1);
                try (ServerSetups.Shared shared = setup.prepare();
                        NodePair pair = NodePair.start(setup, shared, logs, tag)) {
                    samples.get(setup.name()).add(measure.run(setup, pair, round,
                            logs.resolve(setup.name() + "-" + tag + "-load.log")));
                    if (round == 0) {
                        firstRound.run(setup, pair);
                    }
                } catch (Exception | LinkageError e) {
                    log.failed(workload + " " + setup.name() + " round " + (round + 1), e);
                }
            }
        }
        List<HttpComparison.HttpRow> rows = new ArrayList<>();
        samples.forEach((name, list) -> {
            if (!list.isEmpty()) {
                rows.add(new HttpComparison.HttpRow(name, list));
            }
        });
        return rows;
    }
}
