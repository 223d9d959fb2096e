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
import com.mongodb.client.model.Updates;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * One document per session:
 *
 * <pre>
 * { _id: "&lt;namespace&gt;|&lt;key&gt;", app: "&lt;namespace&gt;", data: BinData, version: long, lastAccess: long,
 *   maxInactive: int, expiresAt: long, expireAt: Date }
 * </pre>
 *
 * {@code expiresAt} is the exact expiry in epoch millis ({@link StoredSession#NEVER} for a session that never
 * expires) and drives loads, claims and the sweep through the index {@code (app, expiresAt)}. {@code expireAt} is
 * that expiry plus a grace, for the TTL index ({@code expireAfterSeconds: 0}) that cleans up after a fleet that no
 * longer sweeps; it is absent for a session that never expires. Keys never contain {@code |}, so ids are unambiguous.
 */
final class MongoBackend implements SessionBackend {

    private static final Log log = LogFactory.getLog(MongoBackend.class);

    static final String ID = "_id";
    static final String APP = "app";
    static final String DATA = "data";
    static final String VERSION = "version";
    static final String LAST_ACCESS = "lastAccess";
    static final String MAX_INACTIVE = "maxInactive";
    static final String EXPIRES_AT = "expiresAt";
    static final String EXPIRE_AT = "expireAt";
    static final String SWEEP_INDEX = "app_expiresAt";
    static final String TTL_INDEX = "expireAt_ttl";

    /** A session document must stay under MongoDB's 16 MiB BSON limit; the other fields need far less than 4 KiB. */
    static final int MAX_DATA_BYTES = 16 * 1024 * 1024 - 4096;
    private static final long INDEX_RETRY_MILLIS = 60_000;

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final Bson WITHOUT_DATA = Projections.exclude(DATA);
    private static final Bson ID_ONLY = Projections.include(ID);

    private final MongoClient client;
    private final MongoCollection<BsonDocument> sessions;
    private final String prefix;
    private final BsonString app;
    private final Bson inApp;
    private final long ttlGraceMillis;
    private final String description;
    private volatile boolean indexesReady;
    private final AtomicLong nextIndexAttempt = new AtomicLong();

    MongoBackend(MongoClient client, String database, String collection, String namespace, long ttlGraceMillis,
            String description) {
        this.client = client;
        this.sessions = client.getDatabase(database).getCollection(collection, BsonDocument.class);
        this.prefix = namespace + "|";
        this.app = new BsonString(namespace);
        this.inApp = Filters.eq(APP, app);
        this.ttlGraceMillis = ttlGraceMillis;
        this.description = description;
    }

    private BsonString idOf(String key) {
        return new BsonString(prefix + key);
    }

    private static Bson byId(BsonString id) {
        return Filters.eq(ID, id);
    }

    private static Bson expiredAt(long now) {
        return Filters.lte(EXPIRES_AT, now);
    }

    // ------------------------------------------------------------------ SPI

    @Override
    public StoredSession load(String key) throws IOException {
        BsonDocument doc = sessions.find(byId(idOf(key))).first();
        indexesAfterSuccess();
        return doc == null ? null : toStored(doc, true);
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        BsonDocument doc = sessions.find(byId(idOf(key))).projection(WITHOUT_DATA).first();
        indexesAfterSuccess(); // also the core's probe: indexes then come from its background thread
        return doc == null ? null : toStored(doc, false);
    }

    @Override
    public void save(String key, StoredSession s) throws IOException {
        if (s.data().length > MAX_DATA_BYTES) {
            throw new IOException("a session of " + s.data().length + " bytes exceeds MongoDB's 16 MiB document limit");
        }
        BsonString id = idOf(key);
        BsonDocument doc = new BsonDocument(ID, id)
                .append(APP, app)
                .append(DATA, new BsonBinary(s.data()))
                .append(VERSION, new BsonInt64(s.version()))
                .append(LAST_ACCESS, new BsonInt64(s.lastAccessed()))
                .append(MAX_INACTIVE, new BsonInt32(s.maxInactive()))
                .append(EXPIRES_AT, new BsonInt64(s.expiresAt()));
        if (s.expiresAt() != StoredSession.NEVER) {
            doc.append(EXPIRE_AT, new BsonDateTime(ttlDate(s.expiresAt())));
        }
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

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        Bson update = expiresAt == StoredSession.NEVER
                ? Updates.combine(Updates.set(LAST_ACCESS, lastAccessed), Updates.set(EXPIRES_AT, expiresAt),
                        Updates.unset(EXPIRE_AT))
                : Updates.combine(Updates.set(LAST_ACCESS, lastAccessed), Updates.set(EXPIRES_AT, expiresAt),
                        Updates.set(EXPIRE_AT, new BsonDateTime(ttlDate(expiresAt))));
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
        return doc == null ? null : toStored(doc, true);
    }

    @Override
    public List<String> expiredKeys(long now, int limit) throws IOException {
        List<String> out = new ArrayList<>();
        for (BsonDocument doc : sessions.find(Filters.and(inApp, expiredAt(now))).projection(ID_ONLY).limit(limit)) {
            String key = keyOf(doc);
            if (key != null) {
                out.add(key);
            }
        }
        indexesAfterSuccess();
        return out;
    }

    @Override
    public int size() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, sessions.countDocuments(inApp));
    }

    /** A cursor over the ids rather than {@code distinct}, whose single reply is capped at 16 MiB. */
    @Override
    public List<String> keys() throws IOException {
        List<String> out = new ArrayList<>();
        for (BsonDocument doc : sessions.find(inApp).projection(ID_ONLY)) {
            String key = keyOf(doc);
            if (key != null) {
                out.add(key);
            }
        }
        return out;
    }

    @Override
    public void clear() throws IOException {
        sessions.deleteMany(inApp);
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

    /** Lenient: a document of the wrong shape yields a record the core refuses (no header), never an exception. */
    private static StoredSession toStored(BsonDocument doc, boolean withData) {
        byte[] data = null;
        if (withData) {
            BsonValue d = doc.get(DATA);
            data = d != null && d.isBinary() ? d.asBinary().getData() : new byte[0];
        }
        long expiresAt = longOf(doc.get(EXPIRES_AT), 0); // absent: treated as expired
        return new StoredSession(data, longOf(doc.get(VERSION), 0), longOf(doc.get(LAST_ACCESS), 0),
                (int) longOf(doc.get(MAX_INACTIVE), 0), expiresAt);
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
            log.warn("Cannot create the indexes of the session collection " + description + " (retried in "
                    + INDEX_RETRY_MILLIS / 1000 + " s): " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Idempotent: createIndexes on existing, identical indexes is a no-op. */
    void ensureIndexes() {
        sessions.createIndexes(List.of(
                new IndexModel(Indexes.ascending(APP, EXPIRES_AT), new IndexOptions().name(SWEEP_INDEX)),
                new IndexModel(Indexes.ascending(EXPIRE_AT),
                        new IndexOptions().name(TTL_INDEX).expireAfter(0L, TimeUnit.SECONDS))));
    }

    boolean indexesReady() {
        return indexesReady;
    }
}
