package io.github.sessionstore.mongodb;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;
import org.bson.BsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

/**
 * The indexes of the session and lock collections, made by a thread of their own so that no request makes them or
 * checks for them. The thread makes its first attempt once the driver knows a server that takes writes (it looks
 * every {@link #WAIT_MILLIS}, without I/O), so a MongoDB that is down at start fails neither the start nor the first
 * requests and logs nothing here. A failed attempt is logged as a warning and made again {@link #RETRY_MILLIS} later;
 * the store works without the indexes meanwhile. Once they are made, the thread ends.
 */
final class MongoIndexes implements AutoCloseable {

    static final String SWEEP_INDEX = "app_expiresAt";
    static final String PRINCIPAL_INDEX = "app_principal";
    static final String TTL_INDEX = "expireAt_ttl";
    static final String LOCK_TTL_INDEX = "leaseUntil_ttl";
    /**
     * The lock TTL index deletes a lease only this long after it lapsed. Nothing depends on that clean-up (a lapsed
     * lease is free to take whether its document is there or not); the margin keeps the TTL monitor, which runs on the
     * server's clock, from deleting a live lease when a node's clock is somewhat behind the server's. A constant:
     * changing it would conflict with the index existing deployments already have.
     */
    static final long LOCK_TTL_GRACE_SECONDS = 60;

    static final long RETRY_MILLIS = 60_000;
    static final long WAIT_MILLIS = 500;
    /** What {@link #attempt()} returns when there is nothing left to do. */
    static final long DONE = -1;

    /** Under MongoBackend's name, the logger of this warning before the indexes had a class of their own. */
    private static final Log log = LogFactory.getLog(MongoBackend.class);
    private static final StringManager sm = StringManager.getManager(MongoBackend.class);

    private final Runnable create;
    private final BooleanSupplier writable;
    private final String description;
    private final long retryMillis;
    private volatile boolean ready;
    private volatile boolean closed;
    private volatile ScheduledExecutorService thread;

    /**
     * @param create makes the indexes, or throws
     * @param writable whether the driver knows a server that takes writes; must not do I/O
     */
    MongoIndexes(Runnable create, BooleanSupplier writable, String description, long retryMillis) {
        this.create = create;
        this.writable = writable;
        this.description = description;
        this.retryMillis = retryMillis;
    }

    /** The indexes of these two collections, not started. */
    static MongoIndexes of(MongoClient client, MongoCollection<BsonDocument> sessions,
            MongoCollection<BsonDocument> locks, String description) {
        return new MongoIndexes(() -> create(sessions, locks), () -> client.getClusterDescription().hasWritableServer(),
                description, RETRY_MILLIS);
    }

    /**
     * Idempotent: createIndexes on existing, identical indexes is a no-op. The lock collection is created here if it
     * does not exist yet (or by its first lock).
     */
    private static void create(MongoCollection<BsonDocument> sessions, MongoCollection<BsonDocument> locks) {
        sessions.createIndexes(List.of(
                new IndexModel(Indexes.ascending(MongoDocuments.APP, MongoDocuments.EXPIRY_MILLIS),
                        new IndexOptions().name(SWEEP_INDEX)),
                new IndexModel(Indexes.ascending(MongoDocuments.TTL_DATE),
                        new IndexOptions().name(TTL_INDEX).expireAfter(0L, TimeUnit.SECONDS)),
                // Partial: sessions without a principal cost it nothing; an equality on a name implies the field
                new IndexModel(Indexes.ascending(MongoDocuments.APP, MongoDocuments.PRINCIPAL),
                        new IndexOptions().name(PRINCIPAL_INDEX)
                                .partialFilterExpression(Filters.exists(MongoDocuments.PRINCIPAL)))));
        locks.createIndexes(List.of(new IndexModel(Indexes.ascending(MongoDocuments.LEASE_UNTIL),
                new IndexOptions().name(LOCK_TTL_INDEX).expireAfter(LOCK_TTL_GRACE_SECONDS, TimeUnit.SECONDS))));
    }

    /** Starts the thread, a daemon that does not hold the webapp's class loader. */
    MongoIndexes start(String threadName) {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            t.setContextClassLoader(MongoIndexes.class.getClassLoader());
            return t;
        });
        thread = exec;
        exec.execute(() -> run(exec));
        return this;
    }

    private void run(ScheduledExecutorService exec) {
        long next = attempt();
        if (next == DONE) {
            exec.shutdown();
            return;
        }
        try {
            exec.schedule(() -> run(exec), next, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /**
     * One step of the thread: while the driver knows no server that takes writes, only when to look again; then one
     * attempt to make the indexes (a failure, the client's closing aside, is a warning).
     *
     * @return the delay in millis until the next step, or {@link #DONE}
     */
    long attempt() {
        if (ready || closed) {
            return DONE;
        }
        try {
            if (!writable.getAsBoolean()) {
                return WAIT_MILLIS;
            }
            create.run();
            ready = true;
            return DONE;
        } catch (RuntimeException e) {
            if (closed) {
                return DONE; // the client was closed under it
            }
            log.warn(sm.getString("mongodb.indexesFailed", description, Long.toString(retryMillis / 1000),
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
            return retryMillis;
        }
    }

    boolean ready() {
        return ready;
    }

    /** Stops the thread; an attempt under way ends when the client is closed, without a warning. */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService exec = thread;
        if (exec != null) {
            exec.shutdownNow();
        }
    }
}
