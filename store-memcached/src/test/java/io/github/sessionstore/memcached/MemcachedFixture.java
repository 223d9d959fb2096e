package io.github.sessionstore.memcached;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * A memcached for the tests, from (in this order) {@value #ENV} (an explicit endpoint list), a Testcontainers
 * {@value #IMAGE} when Docker is available, or the {@code memcached} binary on PATH. Started once per test class and
 * always stopped. Servers it starts allow 8 MB items ({@code -I 8m}); an endpoint from {@value #ENV} must as well
 * for the 5 MB contract test.
 */
final class MemcachedFixture implements AutoCloseable {

    static final String ENV = "SESSIONSTORE_MEMCACHED_SERVERS";
    static final String IMAGE = "memcached:1.6";
    static final String ITEM_SIZE = "8m";

    final String servers;
    private final AutoCloseable resource;

    private MemcachedFixture(String servers, AutoCloseable resource) {
        this.servers = servers;
        this.resource = resource;
    }

    static MemcachedFixture start() throws Exception {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Fixtures.announce("memcached", "external " + env + " (from " + ENV + ")");
            return new MemcachedFixture(env.trim(), null);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            GenericContainer<?> c = new GenericContainer<>(IMAGE).withExposedPorts(11211)
                    .withCommand("memcached", "-m", "128", "-I", ITEM_SIZE);
            c.start();
            String servers = c.getHost() + ":" + c.getMappedPort(11211);
            Fixtures.announce("memcached", "Testcontainers " + IMAGE + " at " + servers);
            return new MemcachedFixture(servers, c::stop);
        }
        ServerProcess p = launch(0);
        Fixtures.announce("memcached", "binary " + ServerProcess.onPath("memcached") + " at 127.0.0.1:" + p.port());
        return new MemcachedFixture("127.0.0.1:" + p.port(), p);
    }

    /**
     * The memcached binary on a free port; with {@code alsoPort > 0} it listens on that port too (a restart of a
     * killed server "on the same port" for the clients, while {@link ServerProcess} waits on its own port).
     */
    static ServerProcess launch(int alsoPort) throws Exception {
        return launch(alsoPort, ITEM_SIZE);
    }

    /**
     * As {@link #launch(int)}, with items of at most {@code itemSize} ({@code memcached -I}); below 1 MB with the slab
     * chunks it then needs.
     */
    static ServerProcess launch(int alsoPort, String itemSize) throws Exception {
        Path bin = ServerProcess.onPath("memcached");
        if (bin == null) {
            throw Fixtures.unavailable("memcached", "set " + ENV + ", start Docker, or install the memcached package");
        }
        ServerProcess p = ServerProcess.prepare("memcached");
        String listen = "127.0.0.1:" + p.port() + (alsoPort > 0 ? ",127.0.0.1:" + alsoPort : "");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-l", listen, "-p", Integer.toString(p.port()),
                "-U", "0", "-m", "128", "-I", itemSize, "-t", "2"));
        if (!itemSize.endsWith("m")) {
            cmd.addAll(List.of("-o", "slab_chunk_max=1024")); // memcached refuses chunks larger than -I
        }
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "root"));
        }
        try {
            return p.start(cmd, Map.of(), 20);
        } catch (Exception e) {
            p.close();
            throw e;
        }
    }

    /**
     * The memcached binary with SASL ({@code -S}) on a free loopback port, accepting only {@code user} with
     * {@code password} (mechanism PLAIN, from a sasldb made by {@code saslpasswd2} in the server's temp dir, which
     * {@code SASL_CONF_PATH} points it to). Always the local binary: the credentials are this run's.
     */
    static MemcachedFixture startSasl(String user, String password) throws Exception {
        Path bin = ServerProcess.onPath("memcached");
        Path saslpasswd = ServerProcess.onPath("saslpasswd2");
        if (bin == null || saslpasswd == null) {
            throw Fixtures.unavailable("memcached with SASL", "install the memcached and sasl2-bin packages");
        }
        ServerProcess p = ServerProcess.prepare("memcached-sasl");
        try {
            Path dir = p.workDir();
            Path db = dir.resolve("sasldb2");
            Path secret = dir.resolve("password");
            Files.writeString(secret, password, StandardCharsets.UTF_8);
            // -p: the password from stdin, so it is on no command line; the realm is the host name, as memcached's
            Process add = new ProcessBuilder(saslpasswd.toString(), "-a", "memcached", "-c", "-f", db.toString(),
                    "-p", user).redirectInput(secret.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("saslpasswd2.log").toFile()).start();
            if (!add.waitFor(20, TimeUnit.SECONDS) || add.exitValue() != 0) {
                add.destroyForcibly();
                throw new IOException("saslpasswd2 failed: " + Files.readString(dir.resolve("saslpasswd2.log")));
            }
            Files.delete(secret);
            Files.writeString(dir.resolve("memcached.conf"), "mech_list: plain\nsasldb_path: " + db + "\n");
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-S", "-l", "127.0.0.1", "-p",
                    Integer.toString(p.port()), "-U", "0", "-m", "128", "-I", ITEM_SIZE, "-t", "2"));
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("-u", "root"));
            }
            p.start(cmd, Map.of("SASL_CONF_PATH", dir.toString()), 20);
        } catch (Exception e) {
            p.close();
            throw e;
        }
        Fixtures.announce("memcached", "binary " + bin + " with SASL at 127.0.0.1:" + p.port());
        return new MemcachedFixture("127.0.0.1:" + p.port(), p);
    }

    @Override
    public void close() throws Exception {
        if (resource != null) {
            resource.close();
        }
    }
}
