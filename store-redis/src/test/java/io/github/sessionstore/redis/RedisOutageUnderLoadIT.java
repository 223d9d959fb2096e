package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.RedisServer;

/**
 * redis-server is SIGKILLed under load and started again on the same port with the same directory, once with the
 * append-only file ({@link WithAof}: {@code appendonly yes}, {@code appendfsync everysec}) and once without any
 * persistence ({@link WithoutAof}: the restarted server is empty). Both must pass the same checks: no request
 * fails, and every session ends in the store with its last state. Without AOF that holds here only because every
 * session of the scenario is still in a node's memory and changes again (or is retried) after the restart; see the
 * module README for what each setting costs.
 */
abstract class RedisOutageUnderLoadIT extends AbstractOutageUnderLoadIT {

    private final String prefix = "o" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private RedisServer server;

    /** The persistence options of the server under test. */
    protected abstract List<String> persistence();

    @BeforeEach
    void startRedis() throws Exception {
        List<String> args = new ArrayList<>(persistence());
        server = RedisServer.start("redis-outage", RedisServer.freePort(), args);
        Fixtures.announce("Redis", "binary " + RedisServer.binary() + " at " + server.address() + " " + args);
    }

    @AfterEach
    void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        RedisStore store = new RedisStore();
        store.setUri("redis://" + server.address() + "/0");
        store.setKeyPrefix(prefix);
        return store;
    }

    @Override
    protected void breakStore() throws Exception {
        server.killHard();
        assertFalse(server.isAlive(), "redis-server is gone");
    }

    @Override
    protected void repairStore() throws Exception {
        server.launch();
    }

    /** AOF on, fsync every second (Redis' recommended setting). */
    static class WithAof extends RedisOutageUnderLoadIT {
        @Override
        protected List<String> persistence() {
            return List.of("--appendonly", "yes", "--appendfsync", "everysec");
        }
    }

    /** No persistence at all: the restarted server has lost every key. */
    static class WithoutAof extends RedisOutageUnderLoadIT {
        @Override
        protected List<String> persistence() {
            return List.of("--appendonly", "no");
        }
    }
}
