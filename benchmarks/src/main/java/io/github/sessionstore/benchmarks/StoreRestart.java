package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.testkit.RedisServer;

/**
 * The soak's one restart of the store server, keeping its data where the backend can: REDIS gets
 * {@code SHUTDOWN SAVE} (it writes its data to its directory although it runs without persistence) and is started
 * again by the test kit ({@link RedisServer#launch()}: same command, port and directory), so it reads the data back.
 * Other backends are not restarted ({@link #unsupported}). The server started again stays the run's server, stopped
 * with it.
 */
final class StoreRestart {

    private static final long SECONDS = 20;

    private StoreRestart() {
    }

    /** Why {@code backend}'s server is not restarted by the soak, or {@code null}. */
    static String unsupported(Backend backend, SharedServer server) {
        if (server == null) {
            return backend + " has no server: nothing to restart";
        }
        if (backend != Backend.REDIS || !(server.closer() instanceof RedisServer)) {
            return backend + "'s server is not restarted by the soak (only REDIS's restart is implemented)";
        }
        return null;
    }

    /** Restarts REDIS's server; returns what happened (keys before and after, time down). */
    static String restart(SharedServer server) throws IOException, InterruptedException {
        RedisServer redis = (RedisServer) server.closer();
        long before = dbSize(redis);
        long t0 = System.nanoTime();
        redis.cli("SHUTDOWN", "SAVE");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (redis.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (redis.isAlive()) {
            throw new IllegalStateException("redis-server did not stop in " + SECONDS + " s after SHUTDOWN SAVE");
        }
        redis.launch(); // returns once it answers, loading or not
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        long after = dbSize(redis);
        while (after < 0 && redis.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            after = dbSize(redis);
        }
        if (after < 0) {
            throw new IllegalStateException("redis-server did not serve again in " + SECONDS + " s");
        }
        // A server that did not answer before (e.g. killed) saved nothing: it starts again empty
        return String.format(java.util.Locale.ROOT, "redis-server: SHUTDOWN SAVE, then the same command on the same"
                + " port and directory; keys before %s, after %d; down %.1f s", before < 0
                        ? "unknown (the server did not answer: nothing saved, its sessions are lost)" : before, after,
                (System.nanoTime() - t0) / 1e9);
    }

    /** {@code DBSIZE}, or -1 while the server cannot answer it (e.g. still loading). */
    private static long dbSize(RedisServer redis) throws IOException, InterruptedException {
        String out = redis.cli("DBSIZE").trim();
        return out.matches("\\d+") ? Long.parseLong(out) : -1;
    }
}
