package io.github.sessionstore.redis;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * How the scripts that change a record (save, compare-and-set, touch, delete) reach the server: {@link Direct}, the
 * script alone (waitReplicas=0), or {@link ReplicaWait}, the script and {@code WAIT} on the same connection. Chosen
 * once when the backend opens; the write path never asks which.
 */
interface RecordWrite {

    /** Runs {@code script}; a failure (and with WAIT, a shortfall of replicas) is a RedisException. */
    <T> T run(Script script, String[] keys, byte[]... args);

    /** The script alone, through the connection's routing: one round trip. */
    final class Direct implements RecordWrite {
        private final RedisClusterCommands<String, byte[]> redis;

        Direct(RedisClusterCommands<String, byte[]> redis) {
            this.redis = redis;
        }

        @Override
        public <T> T run(Script script, String[] keys, byte[]... args) {
            return script.run(redis, keys, args);
        }
    }
}
