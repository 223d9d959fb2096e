package io.github.sessionstore.memcached;

import static io.github.sessionstore.memcached.RawTranscoder.RAW;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.OperationFactory;
import net.spy.memcached.auth.AuthDescriptor;
import net.spy.memcached.auth.PlainCallbackHandler;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * One memcached server with its own single-node client ({@link Nodes} does the routing), whether it answers, and the
 * operations the backend issues on it, each as a {@link NodeCall} of raw bytes.
 */
final class Node {

    /** The backend's log category, for all its classes. */
    private static final Log log = LogFactory.getLog(MemcachedBackend.class);
    private static final StringManager sm = StringManager.getManager(MemcachedBackend.class);

    static final int RECONNECT_DELAY_SECONDS = 5;

    final String address;
    final MemcachedClient client;
    /** The client's kind of operations (binary or text protocol), for the reads it issues itself ({@link PairGet}). */
    private final OperationFactory operations;
    /** Whether the client authenticates (SASL): a connection that never comes up may then be a refused login. */
    final boolean sasl;
    private final AtomicBoolean down = new AtomicBoolean();

    private Node(String address, MemcachedClient client, OperationFactory operations, boolean sasl) {
        this.address = address;
        this.client = client;
        this.operations = operations;
        this.sasl = sasl;
    }

    /** A client for {@code server} ({@code host:port}, IPv6 as {@code [addr]:port}); it connects in the background. */
    static Node open(String server, boolean binary, long timeoutMillis, String username, String password)
            throws IOException {
        ConnectionFactoryBuilder b = new ConnectionFactoryBuilder()
                .setProtocol(binary ? ConnectionFactoryBuilder.Protocol.BINARY : ConnectionFactoryBuilder.Protocol.TEXT)
                // Cancel: an op for a node without connection fails at once and the backup node answers. Redistribute
                // would write to a third node, whose stale copy could be read back after another failure.
                .setFailureMode(FailureMode.Cancel)
                .setOpTimeout(timeoutMillis)
                .setOpQueueMaxBlockTime(timeoutMillis)
                .setMaxReconnectDelay(RECONNECT_DELAY_SECONDS)
                .setDaemon(true);
        if (username != null) {
            // No fixed mechanism list: the client asks the server which it offers and takes the first it supports.
            // AuthDescriptor.typical offers CRAM-MD5 first without asking, which a server configured as memcached
            // documents it (mech_list: plain) refuses
            b.setAuthDescriptor(new AuthDescriptor(null,
                    new PlainCallbackHandler(username, password == null ? "" : password)));
        }
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress address = new InetSocketAddress(host, Integer.parseInt(server.substring(colon + 1)));
        ConnectionFactory factory = b.build();
        return new Node(server, new MemcachedClient(factory, List.of(address)), factory.getOperationFactory(),
                username != null);
    }

    /** A key no record has: what {@link #awaitAuthenticated} reads to see an operation through. */
    private static final String AUTH_PROBE = "sessionstore-auth-probe";

    /**
     * With SASL, authentication follows the connection, and the client cancels an operation that waits more than a
     * second for it (a load on a loaded machine right after start then fails). So a store starts only once one read
     * got through, or the deadline passed. Without SASL there is nothing to wait for.
     *
     * @return whether an operation got through before {@code deadline} (nanoTime)
     */
    boolean awaitAuthenticated(long deadline) {
        if (!sasl) {
            return true;
        }
        while (System.nanoTime() < deadline) {
            try {
                client.asyncGet(AUTH_PROBE, RAW).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // cancelled while authentication went on, or refused: try again until the deadline
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Whether the client has a live connection (it reconnects by itself). */
    boolean connected() {
        return !client.getAvailableServers().isEmpty();
    }

    NodeCall<byte[]> get(String key) {
        return NodeCall.of(this, c -> c.asyncGet(key, RAW));
    }

    /** Two items in one operation: their values in this order, {@code null} for one not found. */
    NodeCall<byte[][]> getPair(String first, String second) {
        return NodeCall.of(this, c -> PairGet.issue(c.getConnection(), operations, first, second));
    }

    NodeCall<CASValue<byte[]>> gets(String key) {
        return NodeCall.of(this, c -> c.asyncGets(key, RAW));
    }

    NodeCall<Boolean> set(String key, int exp, byte[] value) {
        return NodeCall.of(this, c -> c.set(key, exp, value, RAW));
    }

    NodeCall<Boolean> add(String key, int exp, byte[] value) {
        return NodeCall.of(this, c -> c.add(key, exp, value, RAW));
    }

    NodeCall<CASResponse> cas(String key, long cas, int exp, byte[] value) {
        return NodeCall.of(this, c -> c.asyncCAS(key, cas, exp, value, RAW));
    }

    NodeCall<Boolean> touch(String key, int exp) {
        return NodeCall.of(this, c -> c.touch(key, exp));
    }

    /** Appends to an existing item, its TTL unchanged; {@code false} when there is none (or it would grow too large). */
    NodeCall<Boolean> append(String key, byte[] value) {
        return NodeCall.of(this, c -> c.append(key, value, RAW));
    }

    NodeCall<Boolean> delete(String key) {
        return NodeCall.of(this, c -> c.delete(key));
    }

    /** An add that nobody awaits (spymemcached may throw while issuing it: full queue, shut down). */
    void addUnawaited(String key, int exp, byte[] value) {
        client.add(key, exp, value, RAW);
    }

    void markDown(String why) {
        if (down.compareAndSet(false, true)) {
            log.warn(sm.getString("memcached.nodeDown", address, why));
        }
    }

    void markUp() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info(sm.getString("memcached.nodeUp", address));
        }
    }

    /**
     * Starts the client's shutdown: lets it drain what is queued until {@code drainDeadline} (not at all without a
     * connection: there is nothing to drain, and no answer to wait for), then it closes the connection and tells its
     * IO thread to stop. Returns without waiting for that thread: see {@link #awaitStopped}.
     */
    void shutdown(long drainDeadline) {
        long drain = connected() ? Math.max(0, drainDeadline - System.nanoTime()) : 0;
        try {
            client.shutdown(drain, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            log.debug(sm.getString("memcached.shutdownFailed", e));
        }
    }

    /**
     * Waits until {@code deadline} for the client's IO thread (a {@link Thread}, named "Memcached IO over ...") to
     * end after {@link #shutdown}. spymemcached's shutdown returns while it still runs, and Tomcat reports a thread
     * still alive once the webapp stopped as a leak.
     */
    void awaitStopped(long deadline) {
        Thread io = client.getConnection();
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        try {
            if (millis > 0) {
                io.join(millis); // never join(0): that waits forever
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (io.isAlive()) {
            log.warn(sm.getString("memcached.ioThreadNotStopped", address, io.getName()));
        }
    }
}
