package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * One {@code redis-server} (or {@code redis-server --sentinel}) from PATH on a loopback port, in its own temp dir,
 * which survives a SIGKILL so that the same server can be started again on the same port with the same data (AOF or
 * not). For the store-redis tests, e2e and spring-boot alike. Always stopped: by {@link #close()}, and by
 * {@link ServerProcess}'s shutdown hook if the test JVM dies first.
 */
public final class RedisServer implements AutoCloseable {

    /** An explicit {@code redis://} URI the store-redis suites use instead of a server of their own. */
    public static final String ENV = "SESSIONSTORE_REDIS_URI";

    private final ServerProcess process;

    private RedisServer(ServerProcess process) {
        this.process = process;
    }

    public static Path binary() {
        Path bin = ServerProcess.onPath("redis-server");
        if (bin == null) {
            throw Fixtures.unavailable("Redis", "set " + ENV + ", start Docker, or install the redis-server package");
        }
        return bin;
    }

    /**
     * A new server on {@code port}, or on another {@link #freePort()} when that one turns out taken (see
     * {@link ServerProcess}; {@link #port()} says which); {@code extra} are more {@code --option value} arguments.
     */
    public static RedisServer start(String name, int port, List<String> extra) throws IOException, InterruptedException {
        Path bin = binary();
        ServerProcess p = ServerProcess.prepare(name, port);
        return launch(p, on -> {
            List<String> a = new ArrayList<>(List.of(bin.toString()));
            a.addAll(List.of("--port", Integer.toString(on), "--bind", "127.0.0.1", "--dir", p.workDir().toString(),
                    "--save", "", "--protected-mode", "no", "--daemonize", "no", "--loglevel", "notice"));
            a.addAll(extra);
            return a;
        });
    }

    /**
     * A sentinel ({@code redis-server <conf> --sentinel}) monitoring {@code master} on {@code masterPort} with quorum
     * 2, declaring it down after 1 s without an answer; on {@code port} or, when that is taken, another.
     */
    public static RedisServer sentinel(String name, int port, String master, int masterPort)
            throws IOException, InterruptedException {
        Path bin = binary();
        ServerProcess p = ServerProcess.prepare(name, port);
        Path conf = p.workDir().resolve("sentinel.conf");
        return launch(p, on -> {
            try {
                Files.writeString(conf, String.join("\n",
                        "port " + on,
                        "bind 127.0.0.1",
                        "protected-mode no",
                        "dir " + p.workDir(),
                        "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 2",
                        "sentinel down-after-milliseconds " + master + " 1000",
                        "sentinel failover-timeout " + master + " 10000",
                        "sentinel parallel-syncs " + master + " 1",
                        ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.of(bin.toString(), conf.toString(), "--sentinel");
        });
    }

    private static RedisServer launch(ServerProcess p, IntFunction<List<String>> command)
            throws IOException, InterruptedException {
        try {
            p.readyWhen(RedisServer::answers).newPortsFrom(RedisServer::freePort).start(command, Map.of(), 20);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
        return new RedisServer(p);
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
        return process.port();
    }

    public Path dir() {
        return process.workDir();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** (Re)starts the process with the same arguments, port and directory; returns once it answers. */
    public void launch() throws IOException, InterruptedException {
        process.restart();
    }

    /** Whether the port answers at all (a loading server answers -LOADING, which is fine for this check). */
    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            int c = s.getInputStream().read();
            return c == '+' || c == '-';
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crashing server goes: nothing is flushed on the way out. */
    public void killHard() throws InterruptedException {
        process.killHard();
    }

    public void stop() {
        process.stop();
    }

    public String logTail() {
        return process.logTail();
    }

    /** Runs {@code redis-cli} with these arguments against this server, bounded in time; returns its output. */
    public String cli(String... cliArgs) throws IOException, InterruptedException {
        return cli(port(), cliArgs);
    }

    /** {@code redis-cli} against a loopback port, bounded in time. */
    public static String cli(int port, String... args) throws IOException, InterruptedException {
        Path bin = ServerProcess.onPath("redis-cli");
        if (bin == null) {
            throw Fixtures.unavailable("Redis", "redis-cli is not on PATH (package redis-tools)");
        }
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("sessionstore-redis-cli", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("redis-cli " + String.join(" ", args) + " did not finish in 60 s");
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
