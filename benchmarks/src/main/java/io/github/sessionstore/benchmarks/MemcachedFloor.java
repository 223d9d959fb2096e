package io.github.sessionstore.benchmarks;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.transcoders.Transcoder;

import io.github.sessionstore.memcached.MemcachedBenchAccess;

/**
 * Floor for MEMCACHED: one spymemcached client (binary protocol, as the store) doing a plain {@code set} / {@code get}
 * / {@code touch} of the same bytes. The store's save is one item too (format SSM2); it touches with {@code touch} +
 * {@code append} of an expiry trailer in one round trip, where the floor does one operation.
 */
final class MemcachedFloor implements Floor {

    private static final Transcoder<byte[]> RAW = MemcachedBenchAccess.rawTranscoder();

    private final MemcachedClient client;

    MemcachedFloor(String server) throws Exception {
        int colon = server.lastIndexOf(':');
        client = new MemcachedClient(new ConnectionFactoryBuilder()
                .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY).setFailureMode(FailureMode.Cancel)
                .setOpTimeout(5_000).setDaemon(true).build(),
                List.of(new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.getAvailableServers().isEmpty()) {
            if (System.nanoTime() > deadline) {
                client.shutdown(0, TimeUnit.SECONDS);
                throw new IllegalStateException("the floor's memcached client did not connect to " + server);
            }
            Thread.sleep(10);
        }
    }

    private static int ttl(long expiresAt) {
        return (int) Math.max(1, (expiresAt - System.currentTimeMillis()) / 1000) + 60;
    }

    @Override
    public void write(String key, byte[] bytes, long expiresAt) throws Exception {
        if (!client.set("floor:" + key, ttl(expiresAt), bytes, RAW).get(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("memcached refused the floor's set");
        }
    }

    @Override
    public byte[] read(String key) throws Exception {
        return client.asyncGet("floor:" + key, RAW).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void touch(String key, long expiresAt) throws Exception {
        client.touch("floor:" + key, ttl(expiresAt)).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.shutdown(1, TimeUnit.SECONDS);
    }
}
