package io.github.sessionstore.redis;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

/** The shared contract on a three-master Redis Cluster, through {@code clusterNodes}. */
@ExtendWith(SiblingStoreRunning.class)
class RedisClusterContractTest extends StoreContractTest {

    static RedisClusterFixture cluster;
    static final String PREFIX = "c" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterFixture.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        RedisStore store = new RedisStore();
        store.setClusterNodes(cluster.nodes());
        store.setKeyPrefix(PREFIX);
        return store;
    }
}
