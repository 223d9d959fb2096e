package io.github.sessionstore.mongodb;

import java.io.IOException;

import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Updates;

import io.github.sessionstore.core.StoredSession;

/**
 * The documents of one namespace: a session record to and from its document, and the names of the fields. One
 * document per session:
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
 * A session lock of the pessimistic locking mode is a document of the lock collection under the session's
 * {@code _id} ({@link MongoBackend#tryLock} writes it):
 *
 * <pre>
 * { _id: "&lt;namespace&gt;|&lt;key&gt;", app: "&lt;namespace&gt;", owner: "&lt;token&gt;", leaseUntil: Date }
 * </pre>
 */
final class MongoDocuments {

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
    static final String OWNER = "owner";
    static final String LEASE_UNTIL = "leaseUntil";

    /** A session document must stay under MongoDB's 16 MiB BSON limit; the other fields need far less than 4 KiB. */
    static final int MAX_DATA_BYTES = 16 * 1024 * 1024 - 4096;

    private final String prefix;
    private final BsonString idsEnd;
    private final BsonString app;
    private final long ttlGraceMillis;

    MongoDocuments(String namespace, long ttlGraceMillis) {
        this.prefix = namespace + "|";
        this.idsEnd = new BsonString(namespace + (char) ('|' + 1));
        this.app = new BsonString(namespace);
        this.ttlGraceMillis = ttlGraceMillis;
    }

    /** The namespace, the value of {@code app}. */
    BsonString app() {
        return app;
    }

    BsonString idOf(String key) {
        return new BsonString(prefix + key);
    }

    /** The first id above every id of this namespace: its prefix with {@code |} raised by one. */
    BsonString idsEnd() {
        return idsEnd;
    }

    /** The key of a document's {@code _id}, or {@code null} when this store did not write it. */
    String keyOf(BsonDocument doc) {
        BsonValue id = doc.get(ID);
        if (id == null || !id.isString() || !id.asString().getValue().startsWith(prefix)) {
            return null; // not written by this store
        }
        return id.asString().getValue().substring(prefix.length());
    }

    /** The whole document of a record, as a save and a compare-and-set write it. */
    BsonDocument toDocument(BsonString id, StoredSession s) throws IOException {
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

    /** A touch's update: the last access and both expiry fields; the TTL date goes when the session never expires. */
    Bson touch(long lastAccessed, long expiresAt) {
        return expiresAt == StoredSession.NEVER
                ? Updates.combine(Updates.set(LAST_ACCESS, lastAccessed), Updates.set(EXPIRY_MILLIS, expiresAt),
                        Updates.unset(TTL_DATE))
                : Updates.combine(Updates.set(LAST_ACCESS, lastAccessed), Updates.set(EXPIRY_MILLIS, expiresAt),
                        Updates.set(TTL_DATE, new BsonDateTime(ttlDate(expiresAt))));
    }

    private long ttlDate(long expiresAt) {
        return expiresAt > Long.MAX_VALUE - ttlGraceMillis ? Long.MAX_VALUE : expiresAt + ttlGraceMillis;
    }

    /** Lenient: a document of the wrong shape yields a record the core refuses (no header), never an exception. */
    static StoredSession toStored(BsonDocument doc, boolean withData) {
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
}
