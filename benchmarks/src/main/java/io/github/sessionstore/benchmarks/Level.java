package io.github.sessionstore.benchmarks;

/**
 * How long and how precisely a comparison runs. HEADLINE (the default) runs the HTTP comparison of the ceilings, ours
 * on every backend (write-through) and Redisson only, as QUICK runs them; QUICK and FULL run every part.
 *
 * <p>Warm-up: on 2 cores under this load, the nodes' C2 compiler still takes a fifth to a third of node A's CPU 20 s
 * after start (async-profiler); after a 2 s warm-up the rounds measured mostly how much code each setup had left to
 * compile. The headline and quick modes wait 8 s, full mode 20 s. The headline's 10 minutes are its setups x rounds x
 * (warm-up + measured + about 5 s to start, fill and stop the nodes).
 *
 * <p>The open loop, the second workload: a thousand sessions or more, each thinking seconds between its requests, at a
 * fixed rate below every setup's saturation on 2 cores (Redisson's closed loop served about 200 req/s there). The
 * headline runs it once per setup, after the first workload's rounds.
 */
public enum Level {

    SMOKE(1, new String[] { "1024" }, new HttpComparison.Load(4, 4, 2048, 300, 1_500, 5_000, 0),
            new HttpComparison.OpenLoad(200, 50, 500, 2_000), 3, 5, new ScaleRun.Settings(2_000, 200, 20)),
    HEADLINE(3, new String[] { "1024", "262144" }, new HttpComparison.Load(16, 4, 2048, 8_000, 4_000, 100_000, 0),
            new HttpComparison.OpenLoad(1_000, 100, 6_000, 8_000), 30, 30,
            new ScaleRun.Settings(100_000, 1_000, 1_000)),
    /** The headline's lengths, every part. */
    QUICK(HEADLINE),
    FULL(5, new String[] { "1024", "16384", "262144" },
            new HttpComparison.Load(16, 4, 2048, 20_000, 20_000, 1_000_000, 0),
            new HttpComparison.OpenLoad(5_000, 100, 20_000, 30_000), 300, 100,
            new ScaleRun.Settings(1_000_000, 1_000, 2_000));

    /** Interleaved rounds of the HTTP setups: A B C ... A B C. */
    final int rounds;
    /** JMH payload sizes: 1 KB only in smoke; the two ends in quick; 1 KB, 16 KB, 256 KB in full mode. */
    private final String[] sizes;
    /** The first workload, closed loop. */
    final HttpComparison.Load load;
    /** The open loop's defaults ({@code --sessions} and {@code --rate} override them). */
    final HttpComparison.OpenLoad openLoad;
    /** Failover visibility samples per shared setup, in the first round. */
    final int visibilitySamples;
    /** Sessions of the SIGKILL check, in the first round. */
    final int killSessions;
    final ScaleRun.Settings scale;

    Level(int rounds, String[] sizes, HttpComparison.Load load, HttpComparison.OpenLoad openLoad,
            int visibilitySamples, int killSessions, ScaleRun.Settings scale) {
        this.rounds = rounds;
        this.sizes = sizes;
        this.load = load;
        this.openLoad = openLoad;
        this.visibilitySamples = visibilitySamples;
        this.killSessions = killSessions;
        this.scale = scale;
    }

    Level(Level like) {
        this(like.rounds, like.sizes, like.load, like.openLoad, like.visibilitySamples, like.killSessions, like.scale);
    }

    String[] sizes() {
        return sizes.clone();
    }
}
