package io.github.sessionstore.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.SessionBackend;

/** {@link PrincipalIndexChecks} on one server. */
class RedisPrincipalIndexTest extends PrincipalIndexChecks {

    private static RedisFixture fixture;
    private static RedisClient rawClient;
    private static StatefulRedisConnection<String, String> rawConnection;

    @BeforeAll
    static void startRedis() throws Exception {
        fixture = RedisFixture.start();
        RedisURI u = RedisURI.create(fixture.uri);
        if (fixture.password != null) {
            u.setAuthentication(fixture.username, fixture.password);
        }
        u.setTimeout(Duration.ofSeconds(5));
        rawClient = RedisClient.create(u);
        rawConnection = rawClient.connect();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        try {
            if (rawConnection != null) {
                rawConnection.close();
                rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(5));
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
        return rawConnection.sync();
    }
}
