package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * RedisStore on a {@code redis-server} from PATH on loopback (append-only file on), with the standalone context.xml
 * of store-redis's README: an ACL user, {@code password="${REDIS_PASSWORD}"} filled from the node's environment
 * through {@code EnvironmentPropertySource}. {@link #makeUnavailable()} SIGKILLs the server; {@link #makeAvailable()}
 * starts it again on the same port with the same directory. Always stopped by {@link #close()}, and by RedisServer's
 * shutdown hook should the test JVM die first.
 */
final class RedisStoreFixture implements StoreFixture {

    private static final String USER = "tomcat";
    private final String password = "e2e-" + Long.toHexString(System.nanoTime());
    private RedisServer server;

    @Override
    public String backend() {
        return "redis";
    }

    @Override
    public List<Path> libs() {
        return List.of(E2eSettings.dropIn("store-redis"));
    }

    @Override
    public void start(Path workDir) throws Exception {
        server = RedisServer.start("redis-e2e", RedisServer.freePort(), List.of("--appendonly", "yes",
                "--user", USER, "on", ">" + password, "~*", "&*", "+@all", "--user", "default", "off"));
        Fixtures.announce(backend(), "binary " + RedisServer.binary() + " at " + server.address()
                + " (AOF, ACL user " + USER + ")");
    }

    @Override
    public String storeElement(String extraAttributes) {
        return "<Store className=\"io.github.sessionstore.redis.RedisStore\"\n"
                + "           uri=\"redis://" + server.address() + "/0\"\n"
                + "           username=\"" + USER + "\"\n"
                + "           password=\"${REDIS_PASSWORD}\"\n"
                + "           keyPrefix=\"ss:\"\n"
                + "           operationTimeout=\"1000\""
                + (extraAttributes.isEmpty() ? "" : " " + extraAttributes) + "/>";
    }

    @Override
    public Map<String, String> nodeEnvironment() {
        return Map.of("REDIS_PASSWORD", password);
    }

    @Override
    public List<String> catalinaProperties() {
        return List.of(MariaDbStoreFixture.PROPERTY_SOURCE);
    }

    @Override
    public void makeUnavailable() throws Exception {
        server.killHard();
        for (int i = 0; i < 100 && ServerProcess.accepts(server.port()); i++) {
            Thread.sleep(50);
        }
        if (ServerProcess.accepts(server.port())) {
            throw new IllegalStateException("redis-server still accepts after SIGKILL: " + server.address());
        }
    }

    @Override
    public void makeAvailable() throws Exception {
        server.launch();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
