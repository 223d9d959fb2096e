package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.github.sessionstore.core.StoredSession;

/**
 * The document layout and the primitives the contract suite does not pin down. Nothing here waits for MongoDB's TTL
 * monitor (the stand-in has none).
 */
class MongoBackendTest {

    private static final long GRACE = 3_600_000L;
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static MongoFixture mongo;
    private static MongoClient raw;

    private final List<MongoBackend> backends = new ArrayList<>();
    private String collectionName;
    private MongoCollection<BsonDocument> collection;

    @BeforeAll
    static void startMongo() {
        mongo = MongoFixture.start();
        raw = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stopMongo() {
        try {
            if (raw != null) {
                for (int i = 1; i <= COLLECTIONS.get(); i++) {
                    raw.getDatabase(MongoFixture.TEST_DATABASE).getCollection("backend_" + i).drop();
                }
                raw.close();
            }
        } finally {
            if (mongo != null) {
                mongo.close();
            }
        }
    }

    @BeforeEach
    void freshCollection() {
        collectionName = "backend_" + COLLECTIONS.incrementAndGet();
        collection = raw.getDatabase(MongoFixture.TEST_DATABASE).getCollection(collectionName, BsonDocument.class);
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(MongoBackend::close);
    }

    private MongoBackend backend(String namespace) {
        MongoBackend b = new MongoBackend(
                MongoClients.create(MongoStore.settings(new ConnectionString(mongo.uri()), 5000)),
                MongoFixture.TEST_DATABASE, collectionName, namespace, GRACE, "test");
        backends.add(b);
        return b;
    }

    private static StoredSession record(long expiresAt) {
        return new StoredSession(new byte[] { 1, 2, 3 }, 42, 1000, 600, expiresAt);
    }

    @Test
    void savedDocumentHasTheDocumentedLayout() throws Exception {
        MongoBackend b = backend("localhost/app");
        long expiresAt = System.currentTimeMillis() + 600_000;
        b.save("KEY1", record(expiresAt));

        BsonDocument doc = collection.find(Filters.eq("_id", "localhost/app|KEY1")).first();
        assertNotNull(doc, "_id is namespace|key");
        assertEquals("localhost/app", doc.getString("app").getValue());
        assertArrayEquals(new byte[] { 1, 2, 3 }, doc.getBinary("data").getData());
        assertEquals(42, doc.getInt64("version").getValue());
        assertEquals(1000, doc.getInt64("lastAccess").getValue());
        assertEquals(600, doc.getInt32("maxInactive").getValue());
        assertEquals(expiresAt, doc.getInt64("expiresAt").getValue());
        assertEquals(BsonType.DATE_TIME, doc.get("expireAt").getBsonType(), "the TTL index needs a BSON date");
        assertEquals(expiresAt + GRACE, doc.getDateTime("expireAt").getValue(),
                "the TTL monitor waits for the grace, so the sweep fires the listeners first");

        StoredSession loaded = b.load("KEY1");
        assertEquals(record(expiresAt).withoutData(), loaded.withoutData());
        assertNull(b.stat("KEY1").data(), "stat reads no payload");
    }

    /** Guards NEVER: no TTL date (else MongoDB would delete it) and no claim however late it is. */
    @Test
    void neverExpiringSessionHasNoTtlDateAndIsNeverClaimed() throws Exception {
        MongoBackend b = backend("localhost/app");
        b.save("KEY1", record(StoredSession.NEVER));
        BsonDocument doc = collection.find(Filters.eq("_id", "localhost/app|KEY1")).first();
        assertFalse(doc.containsKey("expireAt"));
        assertEquals(StoredSession.NEVER, b.load("KEY1").expiresAt());
        long farFuture = StoredSession.NEVER - 1;
        assertTrue(b.expiredKeys(farFuture, 10).isEmpty());
        assertNull(b.claimExpired("KEY1", farFuture));
        assertNotNull(b.load("KEY1"));
    }

    /** Guards touch: it never creates a record, and it moves only the expiry (not the payload or version). */
    @Test
    void touchMovesOnlyTheExpiryAndNeverCreates() throws Exception {
        MongoBackend b = backend("localhost/app");
        assertFalse(b.touch("GONE", 1, 2));
        assertEquals(0, collection.countDocuments(), "a touch of a missing record must not upsert it");

        long now = System.currentTimeMillis();
        b.save("KEY1", record(now + 1000));
        assertTrue(b.touch("KEY1", now + 5, now + 600_000));
        StoredSession s = b.load("KEY1");
        assertEquals(now + 600_000, s.expiresAt());
        assertEquals(now + 5, s.lastAccessed());
        assertEquals(42, s.version());
        assertArrayEquals(new byte[] { 1, 2, 3 }, s.data());
        assertEquals(now + 600_000 + GRACE,
                collection.find(Filters.eq("_id", "localhost/app|KEY1")).first().getDateTime("expireAt").getValue());

        assertTrue(b.touch("KEY1", now + 6, StoredSession.NEVER));
        assertFalse(collection.find(Filters.eq("_id", "localhost/app|KEY1")).first().containsKey("expireAt"),
                "a session that no longer expires loses its TTL date");
        assertEquals(StoredSession.NEVER, b.load("KEY1").expiresAt());
    }

    /** Guards the lazy index creation: the sweep index and the TTL index exist once MongoDB has answered. */
    @Test
    void indexesAreCreatedByTheFirstSuccessfulOperation() throws Exception {
        MongoBackend b = backend("localhost/app");
        assertFalse(b.indexesReady());
        assertNull(b.load("KEY1"));
        assertTrue(b.indexesReady());
        Map<String, BsonDocument> indexes = new HashMap<>();
        for (BsonDocument ix : collection.listIndexes(BsonDocument.class)) {
            indexes.put(ix.getString("name").getValue(), ix);
        }
        BsonDocument sweep = indexes.get(MongoBackend.SWEEP_INDEX);
        assertNotNull(sweep, indexes.keySet().toString());
        assertEquals(new BsonDocument("app", new BsonInt32(1)).append("expiresAt", new BsonInt32(1)),
                sweep.getDocument("key"));
        BsonDocument ttl = indexes.get(MongoBackend.TTL_INDEX);
        assertNotNull(ttl, indexes.keySet().toString());
        assertEquals(new BsonDocument("expireAt", new BsonInt32(1)), ttl.getDocument("key"));
        assertEquals(0L, ttl.get("expireAfterSeconds").asNumber().longValue());

        // A second backend (another node, another start) finds them there and succeeds too
        MongoBackend again = backend("localhost/app");
        again.load("KEY1");
        assertTrue(again.indexesReady());
    }

    /** A document of the wrong shape (written by something else) must come back as unreadable, not throw. */
    @Test
    void foreignDocumentShapeLoadsAsExpiredWithoutPayload() throws Exception {
        MongoBackend b = backend("localhost/app");
        collection.insertOne(new BsonDocument("_id", new BsonString("localhost/app|ODD1"))
                .append("app", new BsonString("localhost/app")).append("data", new BsonString("not binary")));
        StoredSession s = b.load("ODD1");
        assertNotNull(s);
        assertEquals(0, s.data().length);
        assertTrue(s.isExpired(System.currentTimeMillis()), "without expiresAt the record counts as expired");
    }

    @Test
    void namespacesShareTheCollectionButNotTheirRecords() throws Exception {
        MongoBackend shop = backend("localhost/shop");
        MongoBackend blog = backend("localhost/blog");
        long later = System.currentTimeMillis() + 600_000;
        shop.save("KEY1", record(later));
        shop.save("KEY2", record(0));
        shop.save("KEY3", record(0));
        blog.save("KEY1", record(0));
        assertEquals(List.of("KEY1", "KEY2", "KEY3"), shop.keys().stream().sorted().toList());
        assertEquals(3, shop.size());
        long now = System.currentTimeMillis();
        assertEquals(List.of("KEY2", "KEY3"), shop.expiredKeys(now, 10).stream().sorted().toList());
        assertEquals(1, shop.expiredKeys(now, 1).size(), "the limit is applied");
        assertEquals(List.of("KEY1"), blog.expiredKeys(now, 10));

        assertNotNull(blog.claimExpired("KEY1", now));
        assertNotNull(shop.load("KEY1"), "claiming blog's KEY1 left shop's KEY1 alone");
        blog.save("KEY4", record(later));
        shop.clear();
        assertEquals(0, shop.size());
        assertEquals(List.of("KEY4"), blog.keys(), "clear is per namespace");
    }
}
