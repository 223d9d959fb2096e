package io.github.sessionstore.redis;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.testkit.FrozenServer;
import io.github.sessionstore.core.testkit.RedisServer;

/**
 * A server that hangs (SIGSTOP) under a read: the read fails once operationTimeout has passed, and the same
 * connection answers again once the server is thawed. Guards that bound (the connection's timeout and the per-command
 * expiry, both operationTimeout): without them a request would wait Lettuce's default minute on a hung server.
 */
class RedisFrozenServerTest {

    @Test
    void readOfAFrozenServerFailsAtTheOperationTimeoutAndAnswersOnceThawed() throws Exception {
        try (RedisServer server = RedisServer.start("frozen", RedisServer.freePort(), List.of())) {
            long pid = Long.parseLong(server.cli("INFO", "server").lines().filter(l -> l.startsWith("process_id:"))
                    .findFirst().orElseThrow().substring("process_id:".length()).trim());
            RedisStore store = new RedisStore();
            store.setUri("redis://" + server.address());
            store.setOperationTimeout(300);
            store.setKeyPrefix("frozen:");
            try (SessionBackend backend = store.openBackend("/frozen")) {
                FrozenServer.readFailsThenAnswersOnceThawed(backend, pid, "RedisCommandTimeoutException");
            }
        }
    }
}
