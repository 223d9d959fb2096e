package io.github.sessionstore.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.testkit.RedisServer;

/** {@link PrincipalIndexChecks} on a three-master Cluster: the scripts touch only keys of the namespace's slot. */
@ExtendWith(SiblingStoreRunning.class)
class RedisClusterPrincipalIndexTest extends PrincipalIndexChecks {

    @RegisterExtension
    static final RedisClusterFixture cluster = RedisClusterFixture.perClass();
    private static RedisClusterClient rawClient;
    private static StatefulRedisClusterConnection<String, String> rawConnection;

    @BeforeAll
    static void rawClient() {
        List<RedisURI> uris = new ArrayList<>();
        for (RedisServer s : cluster.masters()) {
            uris.add(RedisURI.Builder.redis("127.0.0.1", s.port()).withTimeout(Duration.ofSeconds(5)).build());
        }
        rawClient = RedisClusterClient.create(uris);
        rawConnection = rawClient.connect();
    }

    @AfterAll
    static void closeRawClient() {
        if (rawConnection != null) {
            rawConnection.close();
            rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }

    @Override
    SessionBackend open(String keyPrefix) throws Exception {
        RedisStore store = cluster.newStore(keyPrefix);
        store.setOperationTimeout(2000);
        return store.openBackend(NS);
    }

    @Override
    RedisClusterCommands<String, String> raw() {
        return rawConnection.sync();
    }
}
