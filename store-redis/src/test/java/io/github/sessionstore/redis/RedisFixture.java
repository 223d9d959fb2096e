package io.github.sessionstore.redis;

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
    /** For {@link #local}: the server. */
    RedisServer server;
    String uri;
    String username;
    String password;
    private StatefulRedisConnection<String, String> rawConnection;

    private RedisFixture(String localName, List<String> localOptions) {
        this.localName = localName;
        this.localOptions = localOptions;
    }

    static RedisFixture perClass() {
        return new RedisFixture(null, null);
    }

    /**
     * A {@code redis-server} only (never an endpoint or a container) on a free loopback port, its process and temp
     * dir named {@code name}, with {@code options} on its command line (credentials, if any, are the test's own).
     */
    static RedisFixture local(String name, List<String> options) {
        return new RedisFixture(name, options);
    }

    @Override
    protected void start() throws Exception {
        if (localName != null) {
            server = own(RedisServer.start(localName, RedisServer.freePort(), localOptions));
            uri = "redis://" + server.address() + "/0";
            return;
        }
        String env = System.getenv(RedisServer.ENV);
        if (env != null && !env.isBlank()) {
            Fixtures.announce("Redis", "external " + RedisStore.mask(env.trim()) + " (from " + RedisServer.ENV + ")");
            uri = env.trim();
            return;
        }
        List<String> acl = List.of("--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all", "--user", "default",
                "off");
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
