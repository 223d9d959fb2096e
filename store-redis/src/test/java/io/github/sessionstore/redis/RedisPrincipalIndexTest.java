package io.github.sessionstore.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.SessionBackend;

/** {@link PrincipalIndexChecks} on one server. */
@ExtendWith(SiblingStoreRunning.class)
class RedisPrincipalIndexTest extends PrincipalIndexChecks {

    private static RedisFixture fixture;
    private static RedisFixture.Raw raw;

    @BeforeAll
    static void startRedis() throws Exception {
        fixture = RedisFixture.start();
        raw = fixture.raw();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        try {
            if (raw != null) {
                raw.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    @Override
    SessionBackend open(String keyPrefix) throws Exception {
        RedisStore store = fixture.newStore(keyPrefix);
        store.setOperationTimeout(2000);
        return store.openBackend(NS);
    }

    @Override
    RedisClusterCommands<String, String> raw() {
        return raw.sync();
    }
}
