package io.github.sessionstore.mongodb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * One document per session:
 *
 * <pre>
 * { _id: "&lt;namespace&gt;|&lt;key&gt;", app: "&lt;namespace&gt;", data: BinData, version: long, lastAccess: long,
 *   maxInactive: int, expiresAt: long, expireAt: Date, principal: "&lt;user&gt;" }
 * </pre>
 *
 * {@code expiresAt} is the exact expiry in epoch millis ({@link StoredSession#NEVER} for a session that never
 * expires) and drives loads, claims and the sweep through the index {@code (app, expiresAt)}. {@code expireAt} is
 * that expiry plus a grace, for the TTL index ({@code expireAfterSeconds: 0}) that cleans up after a fleet that no
 * longer sweeps; it is absent for a session that never expires. Keys never contain {@code |}, so ids are unambiguous.
 * {@code principal} names the session's user for the index {@code (app, principal)} (partial: only documents that
 * have one), which finds one user's sessions; it is absent for a session without one.
 * <p>
 * The session locks of the pessimistic locking mode live in a collection of their own (by default
 * {@code <collection>_locks}), one document per held lock under the session's {@code _id}:
 *
 * <pre>
 * { _id: "&lt;namespace&gt;|&lt;key&gt;", app: "&lt;namespace&gt;", owner: "&lt;token&gt;", leaseUntil: Date }
 * </pre>
 *
 * A separate collection rather than a second kind of document among the sessions: lock documents come and go with
 * every locked request, and there they would add entries to the sweep index, show in anything that counts the session
 * collection (by hand or by monitoring), need ids that can never collide with a session's, and share the session TTL
 * index, whose grace is meant for sessions. Apart, the session collection and its queries stay exactly as they were,
 * lock churn touches only the small lock collection and its {@code _id} index, and that collection gets a TTL index
 * of its own that removes the leases of nodes that died holding them.
 */
final class MongoBackend implements SessionBackend {

    private static final Log log = LogFactory.getLog(MongoBackend.class);

    static final String ID = "_id";
    static final String APP = "app";
    static final String DATA = "data";
    static final String VERSION = "version";
    static final String LAST_ACCESS = "lastAccess";
    static final String MAX_INACTIVE = "maxInactive";
    /** The exact expiry, epoch millis: loads, claims and the sweep read it. */
    static final String EXPIRY_MILLIS = "expiresAt";
    /** The expiry plus the TTL grace, a date: only the TTL index reads it. */
    static final String TTL_DATE = "expireAt";
    static final String PRINCIPAL = "principal";
    static final String SWEEP_INDEX = "app_expiresAt";
    static final String PRINCIPAL_INDEX = "app_principal";
    static final String TTL_INDEX = "expireAt_ttl";
    static final String OWNER = "owner";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String LOCK_TTL_INDEX = "leaseUntil_ttl";
    /**
     * The lock TTL index deletes a lease only this long after it lapsed. Nothing depends on that clean-up (a lapsed
     * lease is free to take whether its document is there or not); the margin keeps the TTL monitor, which runs on the
     * server's clock, from deleting a live lease when a node's clock is somewhat behind the server's. A constant:
     * changing it would conflict with the index existing deployments already have.
     */
    static final long LOCK_TTL_GRACE_SECONDS = 60;

    /** A session document must stay under MongoDB's 16 MiB BSON limit; the other fields need far less than 4 KiB. */
    static final int MAX_DATA_BYTES = 16 * 1024 * 1024 - 4096;
    private static final long INDEX_RETRY_MILLIS = 60_000;

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final UpdateOptions UPSERT_UPDATE = new UpdateOptions().upsert(true);
    private static final Bson WITHOUT_DATA = Projections.exclude(DATA);
    private static final Bson ID_ONLY = Projections.include(ID);

    private final MongoClient client;
    private final MongoCollection<BsonDocument> sessions;
    private final MongoCollection<BsonDocument> locks;
    private final String prefix;
    private final String prefixEnd;
    private final BsonString app;
    private final Bson inApp;
    private final long ttlGraceMillis;
    private final String description;
    private final ReadBound bound;
    private volatile boolean indexesReady;
    private final AtomicLong nextIndexAttempt = new AtomicLong();

    MongoBackend(MongoClient client, String database, String collection, String lockCollection, String namespace,
            long ttlGraceMillis, int maxSessionSize, String description) {
        if (collection.equals(lockCollection)) {
            // Lock documents use the sessions' ids: in one collection they would overwrite each other
            throw new IllegalArgumentException("the lock collection must not be the session collection");
        }
        this.client = client;
        // Both inherit the client's settings, among them the operation timeout (timeoutMS) and the write concern
        this.sessions = client.getDatabase(database).getCollection(collection, BsonDocument.class);
        this.locks = client.getDatabase(database).getCollection(lockCollection, BsonDocument.class);
        this.prefix = namespace + "|";
        this.prefixEnd = namespace + (char) ('|' + 1);
        this.app = new BsonString(namespace);
        this.inApp = Filters.eq(APP, app);
        this.ttlGraceMillis = ttlGraceMillis;
        this.description = description;
        this.bound = new ReadBound(maxSessionSize, description, MongoBackend.class);
    }

    private BsonString idOf(String key) {
        return new BsonString(prefix + key);
    }

    private static Bson byId(BsonString id) {
        return Filters.eq(ID, id);
    }

    private static Bson expiredAt(long now) {
        return Filters.lte(EXPIRY_MILLIS, now);
    }

    // ------------------------------------------------------------------ SPI

    @Override
    public StoredSession load(String key) throws IOException {
        BsonDocument doc = sessions.find(byId(idOf(key))).first();
        indexesAfterSuccess();
        return doc == null ? null : bounded(key, doc);
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        BsonDocument doc = sessions.find(byId(idOf(key))).projection(WITHOUT_DATA).first();
        indexesAfterSuccess(); // also the core's probe: indexes then come from its background thread
        return doc == null ? null : toStored(doc, false);
    }

    @Override
    public void save(String key, StoredSession s) throws IOException {
        BsonString id = idOf(key);
        BsonDocument doc = toDocument(id, s);
        try {
            sessions.replaceOne(byId(id), doc, UPSERT);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // Two first writes of one id raced to insert (servers before 4.2 do not retry this themselves)
            sessions.replaceOne(byId(id), doc, UPSERT);
        }
        indexesAfterSuccess();
    }

    /**
     * Compare-and-set in one single-document write, which MongoDB applies atomically: a {@code replaceOne} whose
     * filter names the expected version (never an upsert, so a record deleted or claimed meanwhile stays gone), or,
     * for version 0, an {@code insertOne} that the unique {@code _id} index refuses when any record is there (expired
     * or not). Two writers of one version: the second one's filter no longer matches once the first has replaced the
     * document (on WiredTiger the loser of a write conflict re-evaluates its filter), so exactly one wins. With
     * retryable writes a retried attempt returns the first attempt's outcome; it is never applied twice.
     */
    @Override
    public boolean saveIfVersion(String key, StoredSession s, long expectedVersion) throws IOException {
        BsonString id = idOf(key);
        BsonDocument doc = toDocument(id, s);
        boolean written;
        if (expectedVersion == 0) {
            try {
                sessions.insertOne(doc);
                written = true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                written = false; // there is a record (error 11000 on _id)
            }
        } else {
            // matchedCount, not modifiedCount: rewriting identical content is still a successful write
            written = sessions.replaceOne(Filters.and(byId(id), Filters.eq(VERSION, expectedVersion)), doc)
                    .getMatchedCount() == 1;
        }
        indexesAfterSuccess();
        return written;
    }

    /**
     * One conditional upsert on the lock document: it matches only when the lease has lapsed or {@code owner}
     * already holds it, and then takes or renews it. When a live lease of another owner is there, the filter does
     * not match, the upsert tries to insert a second document with the same {@code _id} and the unique index refuses
     * it (error 11000): that refusal is the "no". Of several nodes racing for a free lock, exactly one insert or one
     * update succeeds; the others see either the duplicate key or a document that no longer matches. (MongoDB 4.2+
     * retries an upsert's duplicate-key error by itself only when its filter is nothing but equality predicates on
     * the unique key; this one has an {@code $or}, so the error reaches us.)
     * <p>
     * The lease is measured by this node's clock, as the sessions' expiry is: nodes must agree on the time to well
     * within a lease. A lock document without a date in {@code leaseUntil} (not written by this store) counts as
     * lapsed rather than blocking its session forever.
     */
    @Override
    public boolean tryLock(String key, String owner, long leaseMillis) throws IOException {
        if (owner == null || owner.isEmpty()) {
            throw new IllegalArgumentException("a lock needs an owner");
        }
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("the lease must be positive; was " + leaseMillis);
        }
        long now = System.currentTimeMillis();
        long until = now > Long.MAX_VALUE - leaseMillis ? Long.MAX_VALUE : now + leaseMillis;
        Bson takeable = Filters.and(byId(idOf(key)), Filters.or(
                Filters.not(Filters.gt(LEASE_UNTIL, new BsonDateTime(now))),
                Filters.eq(OWNER, owner)));
        Bson take = Updates.combine(Updates.set(APP, app), Updates.set(OWNER, owner),
                Updates.set(LEASE_UNTIL, new BsonDateTime(until)));
        boolean taken;
        try {
            // Matched (taken over or renewed) or upserted (the lock was free): either way owner holds it now
            locks.updateOne(takeable, take, UPSERT_UPDATE);
            taken = true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            taken = false; // another owner's live lease
        }
        indexesAfterSuccess();
        return taken;
    }

    /**
     * Deletes the lock document only while {@code owner} is in it: a lease that lapsed and was taken by another owner
     * is left alone. A lapsed lease still naming {@code owner} is deleted: nobody else holds it, it is only garbage.
     */
    @Override
    public void unlock(String key, String owner) throws IOException {
        locks.deleteOne(Filters.and(byId(idOf(key)), Filters.eq(OWNER, owner)));
    }

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        Bson update = expiresAt == StoredSession.NEVER
                ? Updates.combine(Updates.set(LAST_ACCESS, lastAccessed), Updates.set(EXPIRY_MILLIS, expiresAt),
                        Updates.unset(TTL_DATE))
                : Updates.combine(Updates.set(LAST_ACCESS, lastAccessed), Updates.set(EXPIRY_MILLIS, expiresAt),
                        Updates.set(TTL_DATE, new BsonDateTime(ttlDate(expiresAt))));
        // Never an upsert: a record invalidated or claimed elsewhere must not come back
        return sessions.updateOne(byId(idOf(key)), update).getMatchedCount() == 1;
    }

    @Override
    public boolean delete(String key) throws IOException {
        return sessions.deleteOne(byId(idOf(key))).getDeletedCount() == 1;
    }

    /** One atomic findAndModify: of several nodes claiming the same record, exactly one gets the document. */
    @Override
    public StoredSession claimExpired(String key, long now) throws IOException {
        BsonDocument doc = sessions.findOneAndDelete(Filters.and(byId(idOf(key)), expiredAt(now)));
        return doc == null ? null : bounded(key, doc);
    }

    @Override
    public List<String> expiredKeys(long now, int limit) throws IOException {
        List<String> out = keysOf(sessions.find(Filters.and(inApp, expiredAt(now))).projection(ID_ONLY).limit(limit));
        indexesAfterSuccess();
        return out;
    }

    @Override
    public boolean indexesPrincipals() {
        return true;
    }

    /** One query over the {@code (app, principal)} index. */
    @Override
    public List<String> keysOfPrincipal(String principal, int limit) throws IOException {
        return keysOf(sessions.find(Filters.and(inApp, Filters.eq(PRINCIPAL, principal))).projection(ID_ONLY)
                .limit(limit));
    }

    /**
     * One range of the {@code _id} index, in its order: this namespace's ids are exactly those between its prefix
     * and the prefix with {@code |} raised by one.
     */
    @Override
    public List<String> keysAfter(String after, int limit) throws IOException {
        Bson from = after == null ? Filters.gte(ID, prefix) : Filters.gt(ID, prefix + after);
        Bson range = Filters.and(from, Filters.lt(ID, prefixEnd), inApp);
        return keysOf(sessions.find(range).projection(ID_ONLY).sort(Indexes.ascending(ID)).limit(limit));
    }

    private List<String> keysOf(Iterable<BsonDocument> docs) {
        List<String> out = new ArrayList<>();
        for (BsonDocument doc : docs) {
            String key = keyOf(doc);
            if (key != null) {
                out.add(key);
            }
        }
        return out;
    }

    @Override
    public int size() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, sessions.countDocuments(inApp));
    }

    /** A cursor over the ids rather than {@code distinct}, whose single reply is capped at 16 MiB. */
    @Override
    public List<String> keys() throws IOException {
        return keysOf(sessions.find(inApp).projection(ID_ONLY));
    }

    /**
     * The lock collection has no index on {@code app}: it only holds the leases held right now (and lapsed ones until
     * the TTL monitor removes them), so the rare clear scans a small collection rather than every lock paying for a
     * second index.
     */
    @Override
    public void clear() throws IOException {
        sessions.deleteMany(inApp);
        locks.deleteMany(inApp);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        client.close();
    }

    // ------------------------------------------------------------------ documents

    private BsonDocument toDocument(BsonString id, StoredSession s) throws IOException {
        if (s.data().length > MAX_DATA_BYTES) {
            throw new IOException("a session of " + s.data().length + " bytes exceeds MongoDB's 16 MiB document limit");
        }
        BsonDocument doc = new BsonDocument(ID, id)
                .append(APP, app)
                .append(DATA, new BsonBinary(s.data()))
                .append(VERSION, new BsonInt64(s.version()))
                .append(LAST_ACCESS, new BsonInt64(s.lastAccessed()))
                .append(MAX_INACTIVE, new BsonInt32(s.maxInactive()))
                .append(EXPIRY_MILLIS, new BsonInt64(s.expiresAt()));
        if (s.expiresAt() != StoredSession.NEVER) {
            doc.append(TTL_DATE, new BsonDateTime(ttlDate(s.expiresAt())));
        }
        if (s.principal() != null) {
            doc.append(PRINCIPAL, new BsonString(s.principal()));
        }
        return doc;
    }

    private long ttlDate(long expiresAt) {
        return expiresAt > Long.MAX_VALUE - ttlGraceMillis ? Long.MAX_VALUE : expiresAt + ttlGraceMillis;
    }

    private String keyOf(BsonDocument doc) {
        BsonValue id = doc.get(ID);
        if (id == null || !id.isString() || !id.asString().getValue().startsWith(prefix)) {
            return null; // not written by this store
        }
        return id.asString().getValue().substring(prefix.length());
    }

    /**
     * The record of a document read whole, its payload refused when above the read bound. After the transfer: the
     * driver reads whole documents (at most MongoDB's 16 MiB), and a projection by {@code $binarySize} (MongoDB 4.4+)
     * is not used, as the in-JVM server the tests run on does not support it.
     */
    private StoredSession bounded(String key, BsonDocument doc) {
        StoredSession s = toStored(doc, true);
        return bound.admits(s.data().length) ? s : bound.refused(key, s.data().length, s, true);
    }

    /** Lenient: a document of the wrong shape yields a record the core refuses (no header), never an exception. */
    private static StoredSession toStored(BsonDocument doc, boolean withData) {
        byte[] data = null;
        if (withData) {
            BsonValue d = doc.get(DATA);
            data = d != null && d.isBinary() ? d.asBinary().getData() : new byte[0];
        }
        long expiresAt = longOf(doc.get(EXPIRY_MILLIS), 0); // absent: treated as expired
        BsonValue principal = doc.get(PRINCIPAL);
        return new StoredSession(data, longOf(doc.get(VERSION), 0), longOf(doc.get(LAST_ACCESS), 0),
                (int) longOf(doc.get(MAX_INACTIVE), 0), expiresAt,
                principal != null && principal.isString() ? principal.asString().getValue() : null);
    }

    private static long longOf(BsonValue v, long absent) {
        if (v != null && v.isNumber()) {
            return v.asNumber().longValue();
        }
        if (v != null && v.isDateTime()) {
            return v.asDateTime().getValue();
        }
        return absent;
    }

    // ------------------------------------------------------------------ indexes

    /**
     * Creates the indexes once MongoDB has answered an operation, so that a server that is down at start fails
     * neither the start nor the first requests. One thread tries at a time, at most once a minute.
     */
    private void indexesAfterSuccess() {
        if (indexesReady) {
            return;
        }
        long due = nextIndexAttempt.get();
        long now = System.currentTimeMillis();
        if (now < due || !nextIndexAttempt.compareAndSet(due, now + INDEX_RETRY_MILLIS)) {
            return;
        }
        try {
            ensureIndexes();
            indexesReady = true;
        } catch (RuntimeException e) {
            log.warn("Cannot create the indexes of the session and lock collections " + description
                    + " (retried in " + INDEX_RETRY_MILLIS / 1000 + " s): " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    /**
     * Idempotent: createIndexes on existing, identical indexes is a no-op. The lock collection is created here if it
     * does not exist yet (or by its first lock).
     */
    void ensureIndexes() {
        sessions.createIndexes(List.of(
                new IndexModel(Indexes.ascending(APP, EXPIRY_MILLIS), new IndexOptions().name(SWEEP_INDEX)),
                new IndexModel(Indexes.ascending(TTL_DATE),
                        new IndexOptions().name(TTL_INDEX).expireAfter(0L, TimeUnit.SECONDS)),
                // Partial: sessions without a principal cost it nothing; an equality on a name implies the field
                new IndexModel(Indexes.ascending(APP, PRINCIPAL), new IndexOptions().name(PRINCIPAL_INDEX)
                        .partialFilterExpression(Filters.exists(PRINCIPAL)))));
        locks.createIndexes(List.of(new IndexModel(Indexes.ascending(LEASE_UNTIL),
                new IndexOptions().name(LOCK_TTL_INDEX).expireAfter(LOCK_TTL_GRACE_SECONDS, TimeUnit.SECONDS))));
    }

    boolean indexesReady() {
        return indexesReady;
    }
}
