package io.github.sessionstore.core.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * A server binary from PATH (mariadbd, memcached, postgres, mongod ...) launched on a free loopback port in its own
 * temp directory, and always torn down: by {@link #close()}, and by a shutdown hook if the test JVM dies first.
 * <p>
 * It is ready only when the socket listening on its port is its own ({@link Listeners}): {@link #freePort()} is
 * unique within one JVM only, and another JVM's server (CI builds two modules at a time) can take the port between
 * the pick and the bind; our server then fails to bind while the other one answers every readiness check. A launch
 * that loses its port that way is made again on a new port, up to {@value #LAUNCHES} times.
 */
public final class ServerProcess implements AutoCloseable {

    /** Every port {@link #freePort()} returned in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** Launches of one {@link #start(IntFunction, Map, long)}: the first port and up to two new ones. */
    static final int LAUNCHES = 3;

    private final String name;
    private final Path workDir;
    private volatile int port;
    private Process process;
    private final Thread shutdownHook;
    private boolean hookRegistered;
    /** When the server takes clients: by default as soon as its port accepts a connection. */
    private IntPredicate ready = ServerProcess::accepts;
    /** Where a launch that lost its port goes next. */
    private PortPicker newPort = ServerProcess::freePort;
    /** What {@link #start} ran last, for {@link #restart}. */
    private List<String> command;
    private Map<String, String> env;
    private long timeoutSeconds;

    private ServerProcess(String name, Path workDir, int port) {
        this.name = name;
        this.workDir = workDir;
        this.port = port;
        this.shutdownHook = new Thread(this::kill, "stop-" + name);
    }

    /** Creates the temp dir and picks the port; call {@link #start(IntFunction, Map, long)} after any setup step. */
    public static ServerProcess prepare(String name) {
        try {
            return prepare(name, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #prepare(String)}, on a port the caller picked. */
    public static ServerProcess prepare(String name, int port) {
        try {
            return new ServerProcess(name, Files.createTempDirectory("sessionstore-" + name + "-"), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A readiness check of the port other than "accepts a connection" (e.g. a protocol ping); before start. */
    public ServerProcess readyWhen(IntPredicate check) {
        this.ready = check;
        return this;
    }

    /** Where a launch that lost its port is made again (default {@link #freePort()}); before start. */
    public ServerProcess newPortsFrom(PortPicker picker) {
        this.newPort = picker;
        return this;
    }

    /** A new port for a launch that lost its own. */
    @FunctionalInterface
    public interface PortPicker {
        int pick() throws IOException;
    }

    public Path workDir() {
        return workDir;
    }

    /** The port of the last launch: after {@link #start(IntFunction, Map, long)}, the one the server listens on. */
    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    /** Runs a setup command to completion (e.g. mariadb-install-db) with output in the work dir. */
    public void run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = workDir.resolve(name + "-setup.log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed with exit code " + p.exitValue() + ": "
                    + tail(log));
        }
    }

    /**
     * Starts the server with {@code command.apply(port)} and waits until it is ready: its own listener on the port
     * (see the class comment), then the {@link #readyWhen} check. When it exits first, or another process holds the
     * port until the timeout, it is launched again with the command for a new port, up to {@value #LAUNCHES} launches;
     * {@link #port()} is then the new port. Setup done in the work dir stays (the command runs in the same one).
     */
    public ServerProcess start(IntFunction<List<String>> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        this.env = Map.copyOf(env);
        this.timeoutSeconds = timeoutSeconds;
        List<String> failures = new ArrayList<>();
        for (int launch = 1; ; launch++) {
            this.command = List.copyOf(command.apply(port));
            String lost = launch();
            if (lost == null) {
                return this;
            }
            failures.add("port " + port + ": " + lost);
            if (launch == LAUNCHES) {
                throw new IOException(name + " did not start in " + LAUNCHES + " launches (" + String.join("; ",
                        failures) + "): " + logTail());
            }
            port = newPort.pick();
        }
    }

    /**
     * Starts the last {@link #start} command again, on the same port and work dir (after {@link #killHard()} or
     * {@link #stop()}: the data it left there stays); the log is appended to. No new port here (the clients know
     * this one): when another process holds it meanwhile, the restart fails rather than pass its readiness check.
     */
    public synchronized ServerProcess restart() throws IOException, InterruptedException {
        String lost = launch();
        if (lost != null) {
            throw new IOException(name + " on port " + port + ": " + lost + ": " + logTail());
        }
        return this;
    }

    /**
     * Launches {@link #command} and waits until it is ready; null then, else why not (it exited, or another process
     * held its port until the timeout), with this launch stopped. Throws when it was not ready for another reason.
     */
    private synchronized String launch() throws IOException, InterruptedException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        if (!hookRegistered) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookRegistered = true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "exited with " + process.exitValue();
            }
            if (Listeners.ownListener(port, process.toHandle()) && ready.test(port)) {
                return null;
            }
            Thread.sleep(50);
        }
        boolean foreign = Listeners.foreignListener(port, process.toHandle());
        kill();
        if (foreign) {
            return "another process listened on it for " + timeoutSeconds + " s";
        }
        throw new IOException(name + " was not ready on port " + port + " in " + timeoutSeconds + " s: "
                + logTail());
    }

    public Path logFile() {
        return workDir.resolve(name + ".log");
    }

    /** The last lines of the server's log. */
    public String logTail() {
        return tail(logFile());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The server's process id, for signals a test sends it itself (e.g. SIGSTOP/SIGCONT); -1 when not running. */
    public long pid() {
        Process p = process;
        return p == null || !p.isAlive() ? -1 : p.pid();
    }

    /** SIGKILL, as a crashing server would go. */
    public synchronized void killHard() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM (bounded, see {@link #stop(Process)}); its work dir stays for a {@link #restart}. */
    public synchronized void stop() {
        stop(process);
    }

    private void kill() {
        stop(process);
    }

    /** SIGTERM, then SIGKILL if {@code p} is still there after 10 s; bounded either way. Nothing if it is null. */
    public static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            if (hookRegistered) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException | IllegalArgumentException ignore) {
            // JVM shutting down, or never registered
        }
        deleteTree(workDir);
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignore) {
            // best effort
        }
    }

    /**
     * A loopback port nothing listens on, never one this JVM handed out before: two servers launched before either
     * binds (two Tomcat nodes started together) would otherwise get the same port, and the one that lost the bind
     * would look started because the other answers on it.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no loopback port this JVM has not handed out already, in 100 tries");
    }

    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The executable's absolute path if it is on PATH (or in /usr/sbin, where Debian puts daemons). */
    public static Path onPath(String executable) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/usr/local/sbin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, executable);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
