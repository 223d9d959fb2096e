package io.github.sessionstore.redis;

import java.time.Duration;
import java.util.List;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import io.github.sessionstore.core.testkit.Fixtures;

/**
 * A Redis for the tests, from (in this order) {@value #ENV} (an explicit {@code redis://} URI, credentials in it if
 * any), a Testcontainers {@value #IMAGE} when Docker is available, or Debian's {@code redis-server} launched on a
 * loopback port in a temp dir. The launched server requires the ACL user {@value #USER} (the default user is off),
 * so that the suites also check that the password never leaks. Started once per test class and always stopped.
 */
final class RedisFixture implements AutoCloseable {

    static final String ENV = "SESSIONSTORE_REDIS_URI";
    static final String IMAGE = "redis:7";
    static final String USER = "tomcat";
    static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());

    final String uri;
    final String username;
    final String password;
    private final AutoCloseable resource;

    private RedisFixture(String uri, String username, String password, AutoCloseable resource) {
        this.uri = uri;
        this.username = username;
        this.password = password;
        this.resource = resource;
    }

    static RedisFixture start() throws Exception {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Fixtures.announce("Redis", "external " + RedisStore.mask(env.trim()) + " (from " + ENV + ")");
            return new RedisFixture(env.trim(), null, null, null);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            GenericContainer<?> c = new GenericContainer<>(IMAGE).withExposedPorts(6379)
                    .withCommand("redis-server", "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all",
                            "--user", "default", "off");
            c.start();
            String uri = "redis://" + c.getHost() + ":" + c.getMappedPort(6379) + "/0";
            Fixtures.announce("Redis", "Testcontainers " + IMAGE + " at " + uri);
            return new RedisFixture(uri, USER, PASSWORD, c::stop);
        }
        RedisServer s = RedisServer.start("redis", RedisServer.freePort(), List.of("--user", USER, "on",
                ">" + PASSWORD, "~*", "&*", "+@all", "--user", "default", "off"));
        String uri = "redis://127.0.0.1:" + s.port() + "/0";
        Fixtures.announce("Redis", "binary " + RedisServer.binary() + " at " + uri + " (ACL user " + USER + ")");
        return new RedisFixture(uri, USER, PASSWORD, s);
    }

    /** A plain String client on this server, for tests that look at the keys directly; the caller closes it. */
    Raw raw() {
        RedisURI u = RedisURI.create(uri);
        if (password != null) {
            u.setAuthentication(username, password);
        }
        u.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(u);
        try {
            return new Raw(client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            throw e;
        }
    }

    record Raw(RedisClient client, StatefulRedisConnection<String, String> connection) implements AutoCloseable {

        RedisCommands<String, String> sync() {
            return connection.sync();
        }

        @Override
        public void close() {
            try {
                connection.close();
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            }
        }
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
    public void close() throws Exception {
        if (resource != null) {
            resource.close();
        }
    }
}
