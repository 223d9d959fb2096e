package io.github.sessionstore.redis;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.SessionBackend;

/** {@link PrincipalIndexChecks} on one server. */
@ExtendWith(SiblingStoreRunning.class)
class RedisPrincipalIndexTest extends PrincipalIndexChecks {

    @RegisterExtension
    static final RedisFixture fixture = RedisFixture.perClass();

    @Override
    SessionBackend open(String keyPrefix) throws Exception {
        RedisStore store = fixture.newStore(keyPrefix);
        store.setOperationTimeout(2000);
        return store.openBackend(NS);
    }

    @Override
    RedisClusterCommands<String, String> raw() {
        return fixture.raw();
    }
}
