package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The soak's one restart of the store server, keeping its data where the backend can: REDIS gets
 * {@code SHUTDOWN SAVE} (it writes its data to its directory although it runs without persistence) and starts again
 * with the same command, port and directory, so it reads the data back. Other backends are not restarted
 * ({@link #unsupported}). The server started again is stopped by {@link #close()}, also after a failure.
 */
final class StoreRestart implements AutoCloseable {

    private static final long SECONDS = 20;

    private Process again;
    private final Thread hook = new Thread(this::stop, "soak-store-stop");

    /** Why {@code backend}'s server is not restarted by the soak, or {@code null}. */
    static String unsupported(Backend backend, SharedServer server) {
        if (server == null) {
            return backend + " has no server: nothing to restart";
        }
        if (backend != Backend.REDIS || !(server.closer() instanceof ServerProcess)) {
            return backend + "'s server is not restarted by the soak (only REDIS's restart is implemented)";
        }
        return null;
    }

    /** Restarts REDIS's server; returns what happened (keys before and after, time down). */
    String restart(SharedServer server) throws IOException, InterruptedException {
        ServerProcess p = (ServerProcess) server.closer();
        Path bin = ServerProcess.onPath("redis-server");
        long before = dbSize(p.port());
        long t0 = System.nanoTime();
        cli(p.port(), "SHUTDOWN", "SAVE");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while ((p.isAlive() || ServerProcess.accepts(p.port())) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (p.isAlive()) {
            throw new IllegalStateException("redis-server did not stop in " + SECONDS + " s after SHUTDOWN SAVE");
        }
        Runtime.getRuntime().addShutdownHook(hook);
        again = new ProcessBuilder(ServerLaunchers.redisCommand(bin, p.port(), p.workDir()))
                .directory(p.workDir().toFile())
                .redirectErrorStream(true).redirectOutput(p.workDir().resolve("redis-server-again.log").toFile())
                .start();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        long after = -1;
        while (after < 0 && again.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            after = ServerProcess.accepts(p.port()) ? dbSize(p.port()) : -1;
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
    private static long dbSize(int port) throws IOException, InterruptedException {
        String out = cli(port, "DBSIZE").trim();
        return out.matches("\\d+") ? Long.parseLong(out) : -1;
    }

    private static String cli(int port, String... command) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
                Integer.toString(port)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IOException("redis-cli " + String.join(" ", command) + " did not finish in 10 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    private void stop() {
        ServerProcess.stop(again);
    }

    @Override
    public void close() {
        stop();
        if (again != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException ignore) {
                // JVM shutting down
            }
        }
    }
}
