package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import net.spy.memcached.MemcachedClient;

/**
 * An operation issued on one node (or the failure to issue it). Awaiting it tells the node whether it answers: a
 * timeout or a failure marks it down, an answer marks it up again.
 */
final class NodeCall<T> implements PendingAnswer<T> {

    private final Node node;
    private final Future<T> future;
    private final RuntimeException issueFailure;

    private NodeCall(Node node, Future<T> future, RuntimeException issueFailure) {
        this.node = node;
        this.future = future;
        this.issueFailure = issueFailure;
    }

    static <T> NodeCall<T> of(Node node, Function<MemcachedClient, Future<T>> op) {
        if (!node.connected()) {
            // Fail fast while the client reconnects in the background: the backup node answers instead
            return new NodeCall<>(node, null, new IllegalStateException(node.sasl
                    ? "not connected, or not authenticated (SASL: check username and password)" : "not connected"));
        }
        try {
            return new NodeCall<>(node, op.apply(node.client), null);
        } catch (RuntimeException e) {
            // spymemcached throws when its queue is full or the client is shut down
            return new NodeCall<>(node, null, e);
        }
    }

    @Override
    public T get(long deadline) throws IOException {
        if (issueFailure != null) {
            node.markDown(issueFailure.toString());
            throw new IOException("memcached " + node.address + ": " + issueFailure.getMessage(), issueFailure);
        }
        try {
            T v = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            node.markUp();
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new IOException("interrupted waiting for memcached " + node.address, e);
        } catch (TimeoutException e) {
            future.cancel(false);
            node.markDown("timeout");
            throw new IOException("memcached " + node.address + " did not answer in time", e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            node.markDown(cause.toString());
            throw new IOException("memcached " + node.address + ": " + cause, cause);
        }
    }
}
