package io.github.sessionstore.mongodb;

import static io.github.sessionstore.mongodb.MongoDocuments.APP;
import static io.github.sessionstore.mongodb.MongoDocuments.DATA;
import static io.github.sessionstore.mongodb.MongoDocuments.EXPIRY_MILLIS;
import static io.github.sessionstore.mongodb.MongoDocuments.ID;
import static io.github.sessionstore.mongodb.MongoDocuments.LEASE_UNTIL;
import static io.github.sessionstore.mongodb.MongoDocuments.OWNER;
import static io.github.sessionstore.mongodb.MongoDocuments.PRINCIPAL;
import static io.github.sessionstore.mongodb.MongoDocuments.VERSION;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * The storage primitives on MongoDB: one document per session in the session collection ({@link MongoDocuments} maps
 * records to documents), one document per held lock in the lock collection (by default {@code <collection>_locks}).
 * The indexes are made by a thread of their own, off the request path ({@link MongoIndexes}).
 * <p>
 * Locks live in a separate collection rather than as a second kind of document among the sessions: lock documents
 * come and go with every locked request, and there they would add entries to the sweep index, show in anything that
 * counts the session collection (by hand or by monitoring), need ids that can never collide with a session's, and
 * share the session TTL index, whose grace is meant for sessions. Apart, the session collection and its queries stay
 * exactly as they were, lock churn touches only the small lock collection and its {@code _id} index, and that
 * collection gets a TTL index of its own that removes the leases of nodes that died holding them.
 */
final class MongoBackend implements SessionBackend.Listing {

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final UpdateOptions UPSERT_UPDATE = new UpdateOptions().upsert(true);
    private static final Bson WITHOUT_DATA = Projections.exclude(DATA);
    private static final Bson ID_ONLY = Projections.include(ID);

    private final MongoClient client;
    private final MongoCollection<BsonDocument> sessions;
    private final MongoCollection<BsonDocument> locks;
    private final MongoDocuments documents;
    private final BsonString app;
    private final Bson inApp;
    private final String description;
    private final ReadBound bound;
    private final MongoIndexes indexes;

    /** With the indexes of both collections, made by their own thread from now on. */
    MongoBackend(MongoClient client, String database, String collection, String lockCollection, String namespace,
            long ttlGraceMillis, int maxSessionSize, String description) {
        this(client, database, collection, lockCollection, namespace, ttlGraceMillis, maxSessionSize, description,
                (sessions, locks) -> MongoIndexes.of(client, sessions, locks, description)
                        .start("sessionstore-mongodb-indexes-" + namespace));
    }

    /** @param indexes the indexes of the session and lock collections, given both */
    MongoBackend(MongoClient client, String database, String collection, String lockCollection, String namespace,
            long ttlGraceMillis, int maxSessionSize, String description,
            BiFunction<MongoCollection<BsonDocument>, MongoCollection<BsonDocument>, MongoIndexes> indexes) {
        if (collection.equals(lockCollection)) {
            // Lock documents use the sessions' ids: in one collection they would overwrite each other
            throw new IllegalArgumentException("the lock collection must not be the session collection");
        }
        this.client = client;
        // Both inherit the client's settings, among them the operation timeout (timeoutMS) and the write concern
        this.sessions = client.getDatabase(database).getCollection(collection, BsonDocument.class);
        this.locks = client.getDatabase(database).getCollection(lockCollection, BsonDocument.class);
        this.documents = new MongoDocuments(namespace, ttlGraceMillis);
        this.app = documents.app();
        this.inApp = Filters.eq(APP, app);
        this.description = description;
        this.bound = new ReadBound(maxSessionSize, description, MongoBackend.class);
        this.indexes = indexes.apply(sessions, locks);
    }

    private BsonString idOf(String key) {
        return documents.idOf(key);
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
        return doc == null ? null : bounded(key, doc);
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        BsonDocument doc = sessions.find(byId(idOf(key))).projection(WITHOUT_DATA).first();
        return doc == null ? null : MongoDocuments.toStored(doc, false);
    }

    @Override
    public void save(String key, StoredSession s) throws IOException {
        BsonString id = idOf(key);
        BsonDocument doc = documents.toDocument(id, s);
        try {
            sessions.replaceOne(byId(id), doc, UPSERT);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // Two first writes of one id raced to insert (servers before 4.2 do not retry this themselves)
            sessions.replaceOne(byId(id), doc, UPSERT);
        }
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
        BsonDocument doc = documents.toDocument(id, s);
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
        long now = System.currentTimeMillis();
        long until = now + leaseMillis;
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
        // Never an upsert: a record invalidated or claimed elsewhere must not come back
        return sessions.updateOne(byId(idOf(key)), documents.touch(lastAccessed, expiresAt)).getMatchedCount() == 1;
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
        return keysOf(sessions.find(Filters.and(inApp, expiredAt(now))).projection(ID_ONLY).limit(limit));
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
     * One range of the {@code _id} index, in its order: this namespace's ids are exactly those from its prefix (the id
     * of the empty key) up to the prefix with {@code |} raised by one.
     */
    @Override
    public List<String> keysAfter(String after, int limit) throws IOException {
        Bson from = after == null ? Filters.gte(ID, idOf("")) : Filters.gt(ID, idOf(after));
        Bson range = Filters.and(from, Filters.lt(ID, documents.idsEnd()), inApp);
        return keysOf(sessions.find(range).projection(ID_ONLY).sort(Indexes.ascending(ID)).limit(limit));
    }

    private List<String> keysOf(Iterable<BsonDocument> docs) {
        List<String> out = new ArrayList<>();
        for (BsonDocument doc : docs) {
            String key = documents.keyOf(doc);
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
        indexes.close();
        client.close();
    }

    /** For tests. */
    MongoIndexes indexes() {
        return indexes;
    }

    /**
     * The record of a document read whole, its payload refused when above the read bound. After the transfer: the
     * driver reads whole documents (at most MongoDB's 16 MiB), and a projection by {@code $binarySize} (MongoDB 4.4+)
     * is not used, as the in-JVM server the tests run on does not support it.
     */
    private StoredSession bounded(String key, BsonDocument doc) {
        StoredSession s = MongoDocuments.toStored(doc, true);
        return bound.admits(s.data().length) ? s : bound.refused(key, s.data().length, s, true);
    }
}
