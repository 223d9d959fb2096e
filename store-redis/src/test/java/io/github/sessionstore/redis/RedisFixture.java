package io.github.sessionstore.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import io.github.sessionstore.core.testkit.ClassFixture;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.Images;
import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TestTls;

/**
 * A Redis for a test class ({@code @RegisterExtension static final RedisFixture redis = RedisFixture.perClass();}),
 * from (in this order) {@value RedisServer#ENV} (an explicit {@code redis://} URI, credentials in it if any), a
 * Testcontainers {@link Images#REDIS} when Docker is available, or Debian's {@code redis-server} launched on a
 * loopback port in a temp dir. The launched server requires the ACL user {@value #USER} (the default user is off),
 * so that the suites also check that the password never leaks.
 */
final class RedisFixture extends ClassFixture {

    static final String USER = "tomcat";
    static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());

    /** For {@link #local}: the server's process and temp dir name, and its command line options; else null. */
    private final String localName;
    private final List<String> localOptions;
    /** For {@link #localWithTls}: TLS on {@link #tlsPort} too. */
    private final boolean withTls;
    /** For {@link #local}: the server. */
    RedisServer server;
    /** For {@link #localWithTls}: its CA, certificate and key, and the port it serves TLS on. */
    TestTls tls;
    int tlsPort;
    String uri;
    String username;
    String password;
    private StatefulRedisConnection<String, String> rawConnection;

    private RedisFixture(String localName, List<String> localOptions, boolean withTls) {
        this.localName = localName;
        this.localOptions = localOptions;
        this.withTls = withTls;
    }

    static RedisFixture perClass() {
        return new RedisFixture(null, null, false);
    }

    /**
     * A {@code redis-server} only (never an endpoint or a container) on a free loopback port, its process and temp
     * dir named {@code name}, with {@code options} on its command line (credentials, if any, are the test's own).
     */
    static RedisFixture local(String name, List<String> options) {
        return new RedisFixture(name, options, false);
    }

    /**
     * As {@link #local}, and TLS on a port of its own ({@link #tlsPort}; {@code --tls-auth-clients no}) with a
     * certificate for localhost signed by a CA made in a temp dir ({@link #tls}), deleted with the fixture.
     */
    static RedisFixture localWithTls(String name, List<String> options) {
        return new RedisFixture(name, options, true);
    }

    /** {@code redis-server} options: the ACL user {@code user} with {@code password}, every right; the default off. */
    static List<String> aclOnly(String user, String password) {
        return List.of("--user", user, "on", ">" + password, "~*", "&*", "+@all", "--user", "default", "off");
    }

    @Override
    protected void start() throws Exception {
        if (localName != null) {
            startLocal();
            return;
        }
        String env = System.getenv(RedisServer.ENV);
        if (env != null && !env.isBlank()) {
            Fixtures.announce("Redis", "external " + RedisStore.mask(env.trim()) + " (from " + RedisServer.ENV + ")");
            uri = env.trim();
            return;
        }
        List<String> acl = aclOnly(USER, PASSWORD);
        username = USER;
        password = PASSWORD;
        if (DockerClientFactory.instance().isDockerAvailable()) {
            List<String> command = new ArrayList<>(List.of("redis-server"));
            command.addAll(acl);
            GenericContainer<?> c = new GenericContainer<>(Images.REDIS).withExposedPorts(6379)
                    .withCommand(command.toArray(new String[0]));
            own(c::stop);
            c.start();
            uri = "redis://" + c.getHost() + ":" + c.getMappedPort(6379) + "/0";
            Fixtures.announce("Redis", "Testcontainers " + Images.REDIS + " at " + uri);
            return;
        }
        RedisServer s = own(RedisServer.start("redis", RedisServer.freePort(), acl));
        uri = "redis://127.0.0.1:" + s.port() + "/0";
        Fixtures.announce("Redis", "binary " + RedisServer.binary() + " at " + uri + " (ACL user " + USER + ")");
    }

    /** {@code redis-cli} on {@code server} with {@code args}: its output, empty when it failed (for polling). */
    static String cliOrEmpty(RedisServer server, String... args) {
        try {
            return server.cli(args);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void startLocal() throws Exception {
        List<String> options = new ArrayList<>();
        if (withTls) {
            Path dir = Files.createTempDirectory("sessionstore-" + localName + "-");
            own(() -> ServerProcess.deleteTree(dir));
            tls = TestTls.create(dir);
            tlsPort = RedisServer.freePort();
            options.addAll(List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                    tls.certPem().toString(), "--tls-key-file", tls.keyPem().toString(), "--tls-ca-cert-file",
                    tls.caPem().toString(), "--tls-auth-clients", "no"));
        }
        options.addAll(localOptions);
        server = own(RedisServer.start(localName, RedisServer.freePort(), options));
        if (withTls && !ServerProcess.accepts(tlsPort)) {
            throw new IOException("redis-server does not listen on its TLS port: " + server.logTail());
        }
        uri = "redis://" + server.address() + "/0";
    }

    /**
     * A plain String client on this server, for tests that look at the keys directly: opened on the first call,
     * closed with the fixture.
     */
    synchronized RedisCommands<String, String> raw() {
        if (rawConnection == null) {
            RedisURI u = RedisURI.create(uri);
            if (password != null) {
                u.setAuthentication(username, password);
            }
            u.setTimeout(Duration.ofSeconds(5));
            RedisClient client = RedisClient.create(u);
            own(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(5)));
            rawConnection = own(client.connect());
        }
        return rawConnection.sync();
    }

    RedisStore newStore(String keyPrefix) {
        RedisStore store = new RedisStore();
        store.setUri(uri);
        store.setUsername(username);
        store.setPassword(password);
        store.setKeyPrefix(keyPrefix);
        return store;
    }

    @Override
    public synchronized void close() {
        super.close();
        rawConnection = null;
        server = null;
    }
}
