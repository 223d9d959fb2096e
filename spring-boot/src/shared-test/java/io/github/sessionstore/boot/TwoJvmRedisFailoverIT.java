package io.github.sessionstore.boot;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.testkit.RedisServer;

/** {@link TwoJvmFailover} on a redis-server (from PATH, launched by store-redis's fixture) that requires a password. */
class TwoJvmRedisFailoverIT {

    @TempDir
    Path work;

    @Test
    void onRedis() throws Exception {
        String password = "s3cret-" + Long.toHexString(System.nanoTime());
        try (RedisServer redis = RedisServer.start("boot-redis", RedisServer.freePort(),
                List.of("--user", "boot", "on", ">" + password, "~*", "&*", "+@all", "--user", "default", "off"))) {
            List<TwoJvmFailover.Node> nodes = TwoJvmFailover.run(work, "--sessionstore.store=redis",
                    "--sessionstore.attributes.uri=redis://127.0.0.1:" + redis.port() + "/0",
                    "--sessionstore.attributes.username=boot", "--sessionstore.attributes.password=" + password);
            for (TwoJvmFailover.Node n : nodes) {
                assertFalse(Files.readString(n.log()).contains(password), "node " + n.name() + " logged the password");
            }
        }
    }
}
