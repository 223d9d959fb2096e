package io.github.sessionstore.redis;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The per-request version check's one read ({@code HMGET} of a record's metadata) on the request thread itself, over
 * a pool of at most {@code checkConnections} blocking connections ({@link RespConnection}) to a standalone server:
 * no hand-off to Lettuce's event loop and back, which costs a request more CPU than the read. Everything else, and
 * every read this pool does not take, goes through Lettuce's connection as before ({@link #NOT_TAKEN}):
 * <ul>
 * <li>no idle connection and {@code checkConnections} open: the pool never waits and never grows past the bound;</li>
 * <li>a connection that fails other than by a timeout (a restarted server, a reset): it is closed, and Lettuce, which
 * reconnects by itself, answers this read;</li>
 * <li>a failed connect: no new connection for {@link #RETRY_AFTER_MILLIS} ms, Lettuce answers meanwhile;</li>
 * <li>an error reply (the key holds no hash, a right the user lacks): Lettuce reads it again and handles it as it
 * always did.</li>
 * </ul>
 * A read that times out fails as Lettuce's would (an {@link IOException} after {@code operationTimeout}): asking
 * Lettuce again would double the wait on a hung server. A connection idle for {@link #MAX_IDLE_MILLIS} ms is
 * replaced rather than trusted, since a network path may have dropped it silently. Sentinel, Cluster, STARTTLS and
 * {@code verifyPeer=NONE} have no pool ({@link #NONE}): all their reads go through Lettuce.
 */
class CheckConnections implements Closeable {

    private static final Log log = LogFactory.getLog(CheckConnections.class);
    private static final StringManager sm = StringManager.getManager(CheckConnections.class);

    /** What {@link #hmget} returns for a read it leaves to Lettuce. */
    static final byte[][] NOT_TAKEN = new byte[0][];
    static final long RETRY_AFTER_MILLIS = 1000;
    static final long MAX_IDLE_MILLIS = 30_000;

    /** No pool: every read goes through Lettuce. */
    static final CheckConnections NONE = new CheckConnections(null, 0, 0, "none") {
        @Override
        byte[][] hmget(String key, String[] fields) {
            return NOT_TAKEN;
        }
    };

    /** An idle connection and when it was last used (System.nanoTime). */
    private record Idle(RespConnection connection, long since) {
    }

    private final RespConnection.Endpoint endpoint;
    private final int max;
    private final int timeoutMillis;
    private final String description;
    /** Most recently used first: the busy few stay warm, the rest age out. */
    private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
    /** Connections open, idle or in use. */
    private final AtomicInteger open = new AtomicInteger();
    /** System.nanoTime before which no connection is opened (after a failed connect). */
    private volatile long quietUntil = System.nanoTime();
    /** Whether the last connect failed: a warning is logged once per run of failures, not once per retry. */
    private volatile boolean failing;
    private volatile boolean closed;

    CheckConnections(RespConnection.Endpoint endpoint, int max, int timeoutMillis, String description) {
        this.endpoint = endpoint;
        this.max = max;
        this.timeoutMillis = timeoutMillis;
        this.description = description;
    }

    /**
     * {@code HMGET key fields…} on the calling thread: each field's value (null where absent), or {@link #NOT_TAKEN}
     * when the caller must read through Lettuce.
     *
     * @throws IOException the read timed out
     */
    byte[][] hmget(String key, String[] fields) throws IOException {
        RespConnection c = borrow();
        if (c == null) {
            return NOT_TAKEN;
        }
        try {
            byte[][] values = c.hmget(key, fields);
            giveBack(c);
            return values;
        } catch (RespConnection.ErrorReply e) {
            giveBack(c);
            return NOT_TAKEN;
        } catch (SocketTimeoutException e) {
            discard(c);
            throw new IOException("Redis check failed on " + description + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            discard(c);
            if (log.isDebugEnabled()) {
                log.debug(sm.getString("redis.checkConnectionLost", description, e.toString()));
            }
            return NOT_TAKEN;
        }
    }

    /** Connections open now, idle or in use (for tests and diagnostics). */
    int open() {
        return open.get();
    }

    private RespConnection borrow() {
        long now = System.nanoTime();
        for (Idle i; (i = idle.pollFirst()) != null;) {
            if (now - i.since() < TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MILLIS)) {
                return i.connection();
            }
            discard(i.connection());
        }
        if (closed || now - quietUntil < 0) {
            return null;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return null;
        }
        try {
            RespConnection c = RespConnection.open(endpoint, timeoutMillis);
            failing = false;
            return c;
        } catch (IOException | RuntimeException e) {
            open.decrementAndGet();
            quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_MILLIS);
            String text = sm.getString("redis.checkConnectFailed", description, e.getClass().getSimpleName(),
                    e.getMessage());
            if (failing) {
                log.debug(text);
            } else {
                failing = true;
                log.warn(text);
            }
            return null;
        }
    }

    private void giveBack(RespConnection c) {
        idle.offerFirst(new Idle(c, System.nanoTime()));
        if (closed) {
            drain();
        }
    }

    private void discard(RespConnection c) {
        open.decrementAndGet();
        c.close();
    }

    private void drain() {
        for (Idle i; (i = idle.pollFirst()) != null;) {
            discard(i.connection());
        }
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }
}
