package io.github.sessionstore.memcached;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.spy.memcached.MemcachedConnection;
import net.spy.memcached.OperationFactory;
import net.spy.memcached.ops.GetOperation;
import net.spy.memcached.ops.Operation;
import net.spy.memcached.ops.OperationState;
import net.spy.memcached.ops.OperationStatus;

/**
 * Two items of one node in one multi-get operation, as raw bytes: what a read (a load, a version check) issues for a
 * record and the clear marker. spymemcached's {@code asyncGetBulk} does the same in one operation too, but around it
 * builds per-key futures, maps and a decoding task per item, on the request thread and on the client's IO thread, for
 * every version check (profiled: most of what the check costs on the request thread, beside the wait). This keeps
 * its waiting rules: an answer in time, else the operation counts as timed out towards the client's
 * reconnect-after-timeouts and the wait fails with a {@link TimeoutException}; a cancelled or failed operation fails
 * the wait with an {@link ExecutionException}. Like the bulk get, an item the server does not have is {@code null}.
 */
final class PairGet implements GetOperation.Callback, Future<byte[][]> {

    private final String first;
    private final String second;
    private final CountDownLatch done = new CountDownLatch(1);
    private final byte[][] values = new byte[2][];
    private volatile Operation op;

    private PairGet(String first, String second) {
        this.first = first;
        this.second = second;
    }

    /** Issues the get of {@code first} and {@code second} (two distinct keys of one node) on {@code connection}. */
    static PairGet issue(MemcachedConnection connection, OperationFactory ops, String first, String second) {
        PairGet get = new PairGet(first, second);
        Operation op = ops.get(List.of(first, second), get);
        get.op = op;
        connection.enqueueOperation(first, op);
        return get;
    }

    // The IO thread's side: the latch publishes what it stored

    @Override
    public void gotData(String key, int flags, byte[] data) {
        if (first.equals(key)) {
            values[0] = data;
        } else if (second.equals(key)) {
            values[1] = data;
        }
    }

    @Override
    public void receivedStatus(OperationStatus status) {
        // a miss is no value; a failed or cancelled operation shows on the operation itself (see get)
    }

    @Override
    public void complete() {
        done.countDown();
    }

    // The waiting side

    @Override
    public byte[][] get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException,
            TimeoutException {
        Operation o = op;
        if (!done.await(timeout, unit)) {
            if (o.getState() != OperationState.COMPLETE) {
                MemcachedConnection.opTimedOut(o);
                throw new TimeoutException("memcached get timed out (" + o.getState() + ")");
            }
            MemcachedConnection.opSucceeded(o);
        }
        if (o.isCancelled()) {
            throw new ExecutionException(new CancellationException("cancelled"));
        }
        if (o.hasErrored()) {
            throw new ExecutionException(o.getException());
        }
        return values;
    }

    @Override
    public byte[][] get() throws InterruptedException, ExecutionException {
        done.await();
        try {
            return get(0, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // cannot happen: the latch is open
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        op.cancel();
        return true;
    }

    @Override
    public boolean isCancelled() {
        return op.isCancelled();
    }

    @Override
    public boolean isDone() {
        return done.getCount() == 0;
    }
}
