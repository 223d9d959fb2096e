package io.github.sessionstore.redis;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.SessionBackend;

/** {@link PrincipalIndexChecks} on a three-master Cluster: the scripts touch only keys of the namespace's slot. */
@ExtendWith(SiblingStoreRunning.class)
class RedisClusterPrincipalIndexTest extends PrincipalIndexChecks {

    @RegisterExtension
    static final RedisClusterFixture cluster = RedisClusterFixture.perClass();

    @Override
    SessionBackend open(String keyPrefix) throws Exception {
        RedisStore store = cluster.newStore(keyPrefix);
        store.setOperationTimeout(2000);
        return store.openBackend(NS);
    }

    @Override
    RedisClusterCommands<String, String> raw() {
        return cluster.raw();
    }
}
