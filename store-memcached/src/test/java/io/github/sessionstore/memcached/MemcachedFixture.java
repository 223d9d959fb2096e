package io.github.sessionstore.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import io.github.sessionstore.core.testkit.ClassFixture;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.Images;
import io.github.sessionstore.core.testkit.MemcachedServer;
import io.github.sessionstore.core.testkit.ServerProcess;
import net.spy.memcached.MemcachedClient;

/**
 * A memcached for a test class ({@code @RegisterExtension static final MemcachedFixture memcached =
 * MemcachedFixture.perClass();}), from (in this order) {@value MemcachedServer#ENV} (an explicit endpoint list), a
 * Testcontainers {@link Images#MEMCACHED} when Docker is available, or the {@code memcached} binary on PATH
 * ({@link MemcachedServer}). Servers it starts allow 8 MB items ({@code -I 8m}); an endpoint from the environment
 * must as well for the 5 MB contract test. {@link #sasl} is always the local binary with SASL.
 */
final class MemcachedFixture extends ClassFixture {

    /** For {@link #sasl}: the only user the server accepts, and its password. */
    private final String user;
    private final String password;
    /** For {@link #localNodes}: how many local servers, else 0. */
    private final int localNodes;
    /** For {@link #localNodes}: the servers, in the order of {@link #servers}. */
    final List<ServerProcess> nodes = new ArrayList<>();
    String servers;
    private MemcachedClient raw;

    private MemcachedFixture(String user, String password, int localNodes) {
        this.user = user;
        this.password = password;
        this.localNodes = localNodes;
    }

    static MemcachedFixture perClass() {
        return new MemcachedFixture(null, null, 0);
    }

    /**
     * {@code count} memcached binaries on free loopback ports (never an endpoint or a container), for tests that stop
     * one of them or count each one's items: {@link #servers} lists them all, {@link #nodes} holds their processes.
     */
    static MemcachedFixture localNodes(int count) {
        return new MemcachedFixture(null, null, count);
    }

    /**
     * The memcached binary with SASL ({@code -S}) on a free loopback port, accepting only {@code user} with
     * {@code password} (mechanism PLAIN, from a sasldb made by {@code saslpasswd2} in the server's temp dir, which
     * {@code SASL_CONF_PATH} points it to). Always the local binary: the credentials are this run's.
     */
    static MemcachedFixture sasl(String user, String password) {
        return new MemcachedFixture(user, password, 0);
    }

    @Override
    protected void start() throws Exception {
        if (user != null) {
            startSasl();
            return;
        }
        if (localNodes > 0) {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < localNodes; i++) {
                ServerProcess p = launch(0);
                nodes.add(p);
                addresses.add("127.0.0.1:" + p.port());
            }
            servers = String.join(",", addresses);
            Fixtures.announce("memcached", localNodes + " local servers " + servers);
            return;
        }
        String env = System.getenv(MemcachedServer.ENV);
        if (env != null && !env.isBlank()) {
            Fixtures.announce("memcached", "external " + env + " (from " + MemcachedServer.ENV + ")");
            servers = env.trim();
            return;
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            GenericContainer<?> c = new GenericContainer<>(Images.MEMCACHED).withExposedPorts(11211)
                    .withCommand("memcached", "-m", "128", "-I", MemcachedServer.ITEM_SIZE);
            own(c::stop);
            c.start();
            servers = c.getHost() + ":" + c.getMappedPort(11211);
            Fixtures.announce("memcached", "Testcontainers " + Images.MEMCACHED + " at " + servers);
            return;
        }
        ServerProcess p = own(MemcachedServer.launch(0));
        servers = "127.0.0.1:" + p.port();
        Fixtures.announce("memcached", "binary " + MemcachedServer.binary() + " at " + servers);
    }

    private void startSasl() throws Exception {
        Path bin = ServerProcess.onPath("memcached");
        Path saslpasswd = ServerProcess.onPath("saslpasswd2");
        if (bin == null || saslpasswd == null) {
            throw Fixtures.unavailable("memcached with SASL", "install the memcached and sasl2-bin packages");
        }
        ServerProcess p = own(ServerProcess.prepare("memcached-sasl"));
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
        p.start(port -> {
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-S", "-l", "127.0.0.1", "-p",
                    Integer.toString(port), "-U", "0", "-m", "128", "-I", MemcachedServer.ITEM_SIZE, "-t", "2"));
            cmd.addAll(MemcachedServer.asRoot());
            return cmd;
        }, Map.of("SASL_CONF_PATH", dir.toString()), 20);
        servers = "127.0.0.1:" + p.port();
        Fixtures.announce("memcached", "binary " + bin + " with SASL at " + servers);
    }

    /** A local memcached on {@code port} (0: a free one), stopped with the fixture. */
    ServerProcess launch(int port) throws Exception {
        return own(MemcachedServer.launch(port));
    }

    /** A store over these servers (as the {@link #sasl} user), its keys under {@code keyPrefix} unless null. */
    MemcachedStore newStore(String keyPrefix) {
        MemcachedStore store = new MemcachedStore();
        store.setServers(servers);
        if (keyPrefix != null) {
            store.setKeyPrefix(keyPrefix);
        }
        if (user != null) {
            store.setUsername(user);
            store.setPassword(password);
        }
        return store;
    }

    /** A plain spymemcached client on these servers, for tests that look at the items: one, closed with the fixture. */
    synchronized MemcachedClient raw() throws IOException {
        if (raw == null) {
            MemcachedClient c = client(servers);
            own(c::shutdown);
            raw = c;
        }
        return raw;
    }

    /** A plain spymemcached client on {@code servers} (as {@code servers} takes them); the caller shuts it down. */
    static MemcachedClient client(String servers) throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String s : MemcachedStore.parseServers(servers)) {
            int colon = s.lastIndexOf(':');
            addresses.add(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
        }
        return new MemcachedClient(addresses);
    }

    @Override
    public synchronized void close() {
        super.close();
        raw = null;
        nodes.clear();
    }
}
