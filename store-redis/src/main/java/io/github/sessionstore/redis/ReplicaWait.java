package io.github.sessionstore.redis;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * waitReplicas: a record's script and {@code WAIT replicas timeout} sent back to back on the one connection that
 * carries the write (pipelined: one round trip, plus the time the replicas take to acknowledge), so that WAIT counts
 * the replicas that have this write. Fewer than asked, and the write fails like any failed write: the core keeps the
 * session and writes it again (the retry waits again), so a write the store counted as done is on the master and on
 * {@code replicas} replicas. A script the server does not have cached yet ({@code NOSCRIPT}) is sent in full with a
 * second WAIT.
 * <p>
 * Under Cluster every key of a namespace lives in one slot; {@code connection} gives the connection to that slot's
 * master as the client's topology knows it (the one the client's own routing writes on). A redirect ({@code MOVED},
 * {@code ASK}: the slot moved) fails the write and asks the client to refresh its topology ({@code onRedirect}), so
 * that the retry goes to the new master.
 */
final class ReplicaWait implements RecordWrite {

    /** Starts the text of the failure, for the logs and docs/troubleshooting.md. */
    static final String SHORTFALL = "write not replicated (waitReplicas)";

    private final Supplier<RedisClusterAsyncCommands<String, byte[]>> connection;
    private final Runnable onRedirect;
    private final int replicas;
    private final long timeoutMillis;
    private final long awaitMillis;

    /**
     * @param timeoutMillis WAIT's own timeout (waitReplicasTimeout), below {@code awaitMillis}
     * @param awaitMillis how long to wait for each answer: the store's operationTimeout
     */
    ReplicaWait(Supplier<RedisClusterAsyncCommands<String, byte[]>> connection, Runnable onRedirect, int replicas,
            long timeoutMillis, long awaitMillis) {
        this.connection = connection;
        this.onRedirect = onRedirect;
        this.replicas = replicas;
        this.timeoutMillis = timeoutMillis;
        this.awaitMillis = awaitMillis;
    }

    @Override
    public <T> T run(Script script, String[] keys, byte[]... args) {
        RedisClusterAsyncCommands<String, byte[]> c = connection.get();
        RedisFuture<T> write = script.dispatch(c, false, keys, args);
        RedisFuture<Long> acked = c.waitForReplication(replicas, timeoutMillis);
        T result;
        try {
            result = await(write);
        } catch (RedisNoScriptException e) {
            await(acked); // answered at once: nothing was written
            write = script.dispatch(c, true, keys, args);
            acked = c.waitForReplication(replicas, timeoutMillis);
            result = await(write);
        } catch (RedisCommandExecutionException e) {
            String m = e.getMessage();
            if (m != null && (m.startsWith("MOVED") || m.startsWith("ASK"))) {
                onRedirect.run();
            }
            throw e;
        }
        Long n = await(acked);
        if (n == null || n < replicas) {
            throw new RedisException(SHORTFALL + ": WAIT " + replicas + " " + timeoutMillis + " answered "
                    + n + " replica(s); the write counts as failed and is retried");
        }
        return result;
    }

    private <T> T await(RedisFuture<T> f) {
        return LettuceFutures.awaitOrCancel(f, awaitMillis, TimeUnit.MILLISECONDS);
    }
}
