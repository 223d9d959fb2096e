package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two node processes of one setup, started together (a cluster forms only when both run), each in a fresh JVM
 * with its output in {@code logs/}. Always stopped: {@link #close()} closes their standard input (a graceful stop),
 * then kills what did not exit.
 */
final class NodePair implements AutoCloseable {

    private static final long START_SECONDS = 90;

    private final ServerSetups.Setup setup;
    private final Process[] processes = new Process[2];
    private final int[] ports = new int[2];
    private final Path[] logs = new Path[2];
    private final List<List<String>> commands = new ArrayList<>();

    private NodePair(ServerSetups.Setup setup) {
        this.setup = setup;
    }

    static NodePair start(ServerSetups.Setup setup, ServerSetups.Shared shared, Path logDir, String tag)
            throws Exception {
        NodePair pair = new NodePair(setup);
        try {
            Files.createDirectories(logDir);
            List<String> props = new ArrayList<>();
            for (Map.Entry<String, String> e : shared.properties().entrySet()) {
                props.add("-D" + NodeMain.SHARED_PREFIX + e.getKey() + "=" + e.getValue());
            }
            for (int i = 0; i < 2; i++) {
                pair.logs[i] = logDir.resolve(setup.name() + "-" + tag + "-" + (i == 0 ? "a" : "b") + ".log");
                pair.commands.add(Jvm.command(setup.line(), "768m", NodeMain.class, props,
                        List.of(setup.name(), Integer.toString(i))));
                pair.processes[i] = new ProcessBuilder(pair.commands.get(i)).redirectErrorStream(true)
                        .redirectOutput(pair.logs[i].toFile()).start();
            }
            for (int i = 0; i < 2; i++) {
                pair.ports[i] = pair.awaitReady(i);
            }
            return pair;
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    /** Waits for {@code READY <port> <version>} and checks the node runs the setup's Tomcat line. */
    private int awaitReady(int i) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(logs[i], StandardCharsets.UTF_8)) {
                if (line.startsWith("READY ")) {
                    String[] f = line.split(" ");
                    if (!f[2].startsWith(setup.line().prefix + ".")) {
                        throw new IllegalStateException(setup.name() + ": node ran Tomcat " + f[2] + ", not "
                                + setup.line().prefix);
                    }
                    return Integer.parseInt(f[1]);
                }
            }
            if (!processes[i].isAlive()) {
                throw new IllegalStateException(setup.name() + ": node " + i + " exited with "
                        + processes[i].exitValue() + ": " + tail(logs[i]));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(setup.name() + ": node " + i + " not ready in " + START_SECONDS + " s: "
                + tail(logs[i]));
    }

    String url(int node, String path) {
        return "http://127.0.0.1:" + ports[node % 2] + io.github.sessionstore.core.testkit.TomcatNode.CONTEXT_PATH
                + path;
    }

    /** Node {@code i}'s process id (its JVM: the command line starts java itself). */
    long pid(int i) {
        return processes[i].pid();
    }

    /** SIGKILL of node {@code i}: nothing is unloaded, saved or replicated after it. */
    void kill(int i) throws InterruptedException {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM of node {@code i} (the JVM's shutdown, without Tomcat's orderly stop: the embedded node has no shutdown
     * hook), then the same node started again, its output in {@code log}; returns when it serves again (its port
     * changes). Killed when it has not exited 20 s after the signal.
     */
    void restart(int i, Path log) throws IOException, InterruptedException {
        Process p = processes[i];
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        logs[i] = log;
        processes[i] = new ProcessBuilder(commands.get(i)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        ports[i] = awaitReady(i);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                try {
                    p.getOutputStream().close();
                } catch (IOException e) {
                    p.destroy();
                }
            }
        }
        for (Process p : processes) {
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
