package io.github.sessionstore.benchmarks;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * Floor for REDIS: one Lettuce connection doing a plain {@code SET key bytes PXAT} / {@code GET} / {@code PEXPIREAT}
 * of the same bytes, one key, one command each. The store writes a hash and its expiry index entry in one script
 * ({@code EVALSHA}) and touches with another; the floor keeps no index.
 */
final class RedisFloor implements Floor {

    private static final long GRACE_MILLIS = 60_000;

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisCommands<String, byte[]> redis;

    RedisFloor(String uri) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(Duration.ofSeconds(5));
        client = RedisClient.create(u);
        try {
            connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw e;
        }
        redis = connection.sync();
    }

    @Override
    public void write(String key, byte[] bytes, long expiresAt) {
        if (!"OK".equals(redis.set("floor:" + key, bytes, SetArgs.Builder.pxAt(expiresAt + GRACE_MILLIS)))) {
            throw new IllegalStateException("Redis refused the floor's SET");
        }
    }

    @Override
    public byte[] read(String key) {
        return redis.get("floor:" + key);
    }

    @Override
    public void touch(String key, long expiresAt) {
        redis.pexpireat("floor:" + key, expiresAt + GRACE_MILLIS);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
