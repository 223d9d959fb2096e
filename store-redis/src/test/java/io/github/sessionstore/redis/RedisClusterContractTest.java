package io.github.sessionstore.redis;

import java.util.UUID;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

/** The shared contract on a three-master Redis Cluster, through {@code clusterNodes}. */
@ExtendWith(SiblingStoreRunning.class)
class RedisClusterContractTest extends StoreContractTest {

    @RegisterExtension
    static final RedisClusterFixture cluster = RedisClusterFixture.perClass();
    static final String PREFIX = "c" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @Override
    protected AbstractSessionStore newStore() {
        return cluster.newStore(PREFIX);
    }
}
