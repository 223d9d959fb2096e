package io.github.sessionstore.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * One {@code redis-server} (or {@code redis-server --sentinel}) from PATH on a loopback port, in its own temp dir,
 * which survives a SIGKILL so that the same server can be started again on the same port with the same data (AOF or
 * not). Public for the e2e module's fixture. Always stopped: by {@link #close()}, and by a shutdown hook if the test JVM dies first.
 */
public final class RedisServer implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final int port;
    private final List<String> args;
    private final Thread hook;
    private Process process;

    private RedisServer(String name, Path dir, int port, List<String> args) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.args = List.copyOf(args);
        this.hook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static Path binary() {
        Path bin = ServerProcess.onPath("redis-server");
        if (bin == null) {
            throw Fixtures.unavailable("Redis", "set " + RedisFixture.ENV + ", start Docker, or install the"
                    + " redis-server package");
        }
        return bin;
    }

    /** A new server on a free port; {@code extra} are more {@code --option value} arguments. */
    public static RedisServer start(String name, int port, List<String> extra) throws IOException, InterruptedException {
        Path bin = binary();
        Path dir = Files.createTempDirectory("sessionstore-" + name + "-");
        List<String> a = new ArrayList<>(List.of(bin.toString()));
        a.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--protected-mode", "no", "--daemonize", "no", "--loglevel", "notice"));
        a.addAll(extra);
        RedisServer s = new RedisServer(name, dir, port, a);
        try {
            s.launch();
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * A sentinel ({@code redis-server <conf> --sentinel}) monitoring {@code master} on {@code masterPort} with quorum
     * 2, declaring it down after 1 s without an answer.
     */
    public static RedisServer sentinel(String name, int port, String master, int masterPort)
            throws IOException, InterruptedException {
        Path bin = binary();
        Path dir = Files.createTempDirectory("sessionstore-" + name + "-");
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "protected-mode no",
                "dir " + dir,
                "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 2",
                "sentinel down-after-milliseconds " + master + " 1000",
                "sentinel failover-timeout " + master + " 10000",
                "sentinel parallel-syncs " + master + " 1",
                ""));
        RedisServer s = new RedisServer(name, dir, port, List.of(bin.toString(), conf.toString(), "--sentinel"));
        try {
            s.launch();
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** A free port whose cluster bus port (+10000) is free too. */
    public static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = ServerProcess.freePort();
            if (p < 55_000 && !ServerProcess.accepts(p + 10_000)) {
                return p;
            }
        }
        throw new IOException("no free port pair found");
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** (Re)starts the process with the same arguments, port and directory; returns once it accepts connections. */
    public synchronized void launch() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        process = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + logTail());
            }
            if (ping()) {
                return;
            }
            Thread.sleep(50);
        }
        stop();
        throw new IOException(name + " did not answer on port " + port + " in 20 s: " + logTail());
    }

    /** Whether the port answers at all (a loading server answers -LOADING, which is fine for this check). */
    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes());
            int c = s.getInputStream().read();
            return c == '+' || c == '-';
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL, as a crashing server goes: nothing is flushed on the way out. */
    public synchronized void killHard() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public synchronized void stop() {
        Process p = process;
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

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Runs redis-cli with these arguments against this server; returns its output. */
    public String cli(String... cliArgs) throws IOException, InterruptedException {
        return RedisCli.run(port, cliArgs);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException ignore) {
            // JVM shutting down
        }
        ServerProcess.deleteTree(dir);
    }
}
