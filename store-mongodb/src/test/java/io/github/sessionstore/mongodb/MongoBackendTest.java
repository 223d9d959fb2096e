package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
    @RegisterExtension
    static final MongoFixture mongo = MongoFixture.perClass();
    private static MongoClient raw;

    private final List<MongoBackend> backends = new ArrayList<>();
    private String collectionName;
    private MongoCollection<BsonDocument> collection;
    private MongoCollection<BsonDocument> lockCollection;

    @BeforeAll
    static void rawClient() {
        raw = MongoClients.create(mongo.uri());
    }

    /** Runs before the fixture stops. */
    @AfterAll
    static void dropCollections() {
        if (raw != null) {
            try {
                for (int i = 1; i <= COLLECTIONS.get(); i++) {
                    raw.getDatabase(MongoFixture.TEST_DATABASE).getCollection("backend_" + i).drop();
                    raw.getDatabase(MongoFixture.TEST_DATABASE).getCollection("backend_" + i + "_locks").drop();
                }
            } finally {
                raw.close();
            }
        }
    }

    @BeforeEach
    void freshCollection() {
        collectionName = "backend_" + COLLECTIONS.incrementAndGet();
        collection = raw.getDatabase(MongoFixture.TEST_DATABASE).getCollection(collectionName, BsonDocument.class);
        lockCollection = raw.getDatabase(MongoFixture.TEST_DATABASE).getCollection(collectionName + "_locks",
                BsonDocument.class);
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(MongoBackend::close);
    }

    private MongoBackend backend(String namespace) {
        MongoBackend b = new MongoBackend(
                MongoClients.create(MongoStore.settings(new ConnectionString(mongo.uri()), 5000)),
                MongoFixture.TEST_DATABASE, collectionName, collectionName + "_locks", namespace, GRACE,
                MongoDocuments.MAX_DATA_BYTES, "test");
        backends.add(b);
        return b;
    }

    private static Map<String, BsonDocument> indexesOf(MongoCollection<BsonDocument> c) {
        Map<String, BsonDocument> indexes = new HashMap<>();
        for (BsonDocument ix : c.listIndexes(BsonDocument.class)) {
            indexes.put(ix.getString("name").getValue(), ix);
        }
        return indexes;
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

    /**
     * Guards the index creation: the sweep, TTL and lock TTL indexes exist, made by the backend's own thread without
     * any request asking for them.
     */
    @Test
    void indexesAreCreatedWithoutAnyRequest() throws Exception {
        MongoBackend b = backend("localhost/app");
        awaitIndexes(b);
        Map<String, BsonDocument> indexes = indexesOf(collection);
        BsonDocument sweep = indexes.get(MongoIndexes.SWEEP_INDEX);
        assertNotNull(sweep, indexes.keySet().toString());
        assertEquals(new BsonDocument("app", new BsonInt32(1)).append("expiresAt", new BsonInt32(1)),
                sweep.getDocument("key"));
        BsonDocument ttl = indexes.get(MongoIndexes.TTL_INDEX);
        assertNotNull(ttl, indexes.keySet().toString());
        assertEquals(new BsonDocument("expireAt", new BsonInt32(1)), ttl.getDocument("key"));
        assertEquals(0L, ttl.get("expireAfterSeconds").asNumber().longValue());

        Map<String, BsonDocument> lockIndexes = indexesOf(lockCollection);
        BsonDocument leases = lockIndexes.get(MongoIndexes.LOCK_TTL_INDEX);
        assertNotNull(leases, lockIndexes.keySet().toString());
        assertEquals(new BsonDocument("leaseUntil", new BsonInt32(1)), leases.getDocument("key"));
        assertEquals(MongoIndexes.LOCK_TTL_GRACE_SECONDS, leases.get("expireAfterSeconds").asNumber().longValue());

        // A second backend (another node, another start) finds them there and succeeds too
        awaitIndexes(backend("localhost/app"));
    }

    private static void awaitIndexes(MongoBackend b) throws InterruptedException {
        for (int i = 0; i < 200 && !b.indexes().ready(); i++) {
            Thread.sleep(50);
        }
        assertTrue(b.indexes().ready(), "indexes made within 10 s");
    }

    /**
     * Guards the hot path (issue 27): no storage call makes the indexes or asks whether they are made; their own
     * thread does (here, one attempt made by hand).
     */
    @Test
    void storageCallsNeverConsultTheIndexes() throws Exception {
        AtomicInteger consulted = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        MongoBackend b = new MongoBackend(
                MongoClients.create(MongoStore.settings(new ConnectionString(mongo.uri()), 5000)),
                MongoFixture.TEST_DATABASE, collectionName, collectionName + "_locks", "localhost/app", GRACE,
                MongoDocuments.MAX_DATA_BYTES, "test", (sessions, locks) -> new MongoIndexes(
                        created::incrementAndGet, () -> consulted.incrementAndGet() > 0, "test", 60_000));
        backends.add(b);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            b.save("KEY1", record(now + 600_000));
            assertNotNull(b.load("KEY1"));
            assertNotNull(b.stat("KEY1"));
            assertTrue(b.saveIfVersion("KEY2", record(1), 0));
            assertTrue(b.tryLock("KEY1", "owner", 30_000));
            b.unlock("KEY1", "owner");
            assertTrue(b.touch("KEY1", now, now + 600_000));
            assertEquals(List.of("KEY2"), b.expiredKeys(now, 10));
            assertNotNull(b.claimExpired("KEY2", now));
            assertTrue(b.delete("KEY1"));
        }
        assertEquals(0, consulted.get(), "no storage call asked whether the indexes are made");
        assertEquals(0, created.get(), "no storage call made them");
        assertFalse(b.indexes().ready());

        assertEquals(MongoIndexes.DONE, b.indexes().attempt());
        assertEquals(1, created.get());
        assertTrue(b.indexes().ready());
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

    /** saveIfVersion writes the very document save writes, so loads, claims, the sweep and the TTL index see it. */
    @Test
    void compareAndSetWritesTheDocumentedLayout() throws Exception {
        MongoBackend b = backend("localhost/app");
        long expiresAt = System.currentTimeMillis() + 600_000;
        b.save("KEY1", record(expiresAt));
        assertTrue(b.saveIfVersion("KEY2", record(expiresAt), 0));
        BsonDocument saved = collection.find(Filters.eq("_id", "localhost/app|KEY1")).first();
        BsonDocument inserted = collection.find(Filters.eq("_id", "localhost/app|KEY2")).first();
        saved.remove("_id");
        inserted.remove("_id");
        assertEquals(saved, inserted);

        StoredSession next = new StoredSession(new byte[] { 9 }, 43, 2000, 600, StoredSession.NEVER);
        assertTrue(b.saveIfVersion("KEY2", next, 42));
        BsonDocument replaced = collection.find(Filters.eq("_id", "localhost/app|KEY2")).first();
        assertEquals(43, replaced.getInt64("version").getValue());
        assertFalse(replaced.containsKey("expireAt"), "replaced whole: the old TTL date is gone");
        assertEquals(next.withoutData(), b.load("KEY2").withoutData());
    }

    /** An expired record is still there for the compare-and-set until it is claimed; a claimed one is gone. */
    @Test
    void compareAndSetSeesAnExpiredRecordUntilItIsClaimed() throws Exception {
        MongoBackend b = backend("localhost/app");
        b.save("KEY1", record(1));
        assertFalse(b.saveIfVersion("KEY1", record(StoredSession.NEVER), 0));
        assertNotNull(b.claimExpired("KEY1", System.currentTimeMillis()));
        assertFalse(b.saveIfVersion("KEY1", record(StoredSession.NEVER), 42), "never an upsert");
        assertEquals(0, collection.countDocuments());
        assertTrue(b.saveIfVersion("KEY1", record(StoredSession.NEVER), 0));
    }

    /** Guards the separation: a lock is a document of the lock collection only, under the session's id. */
    @Test
    void lockDocumentsLiveInTheLockCollection() throws Exception {
        MongoBackend b = backend("localhost/app");
        long before = System.currentTimeMillis();
        assertTrue(b.tryLock("KEY1", "node1-req7", 30_000));
        long after = System.currentTimeMillis();
        assertEquals(0, collection.countDocuments(), "no session document for a lock");
        BsonDocument lock = lockCollection.find(Filters.eq("_id", "localhost/app|KEY1")).first();
        assertNotNull(lock);
        assertEquals("localhost/app", lock.getString("app").getValue());
        assertEquals("node1-req7", lock.getString("owner").getValue());
        assertEquals(BsonType.DATE_TIME, lock.get("leaseUntil").getBsonType(), "the TTL index needs a BSON date");
        long until = lock.getDateTime("leaseUntil").getValue();
        assertTrue(until >= before + 30_000 && until <= after + 30_000, Long.toString(until));

        assertTrue(b.tryLock("KEY1", "node1-req7", 60_000));
        assertTrue(lockCollection.find(Filters.eq("_id", "localhost/app|KEY1")).first()
                .getDateTime("leaseUntil").getValue() >= before + 60_000, "taking it again renews the lease");
        assertEquals(1, lockCollection.countDocuments());

        b.unlock("KEY1", "node1-req7");
        assertEquals(0, lockCollection.countDocuments(), "unlock deletes the lock document");
    }

    /** A lock document this store did not write (no date) must not block its session forever. */
    @Test
    void lockDocumentWithoutLeaseDateCountsAsLapsed() throws Exception {
        MongoBackend b = backend("localhost/app");
        lockCollection.insertOne(new BsonDocument("_id", new BsonString("localhost/app|KEY1"))
                .append("owner", new BsonString("someone")));
        lockCollection.insertOne(new BsonDocument("_id", new BsonString("localhost/app|KEY2"))
                .append("owner", new BsonString("someone"))
                .append("leaseUntil", new BsonInt64(Long.MAX_VALUE)));
        lockCollection.insertOne(new BsonDocument("_id", new BsonString("localhost/app|KEY3"))
                .append("owner", new BsonString("someone"))
                .append("leaseUntil", new BsonDateTime(System.currentTimeMillis() + 600_000)));
        assertTrue(b.tryLock("KEY1", "me", 30_000));
        assertTrue(b.tryLock("KEY2", "me", 30_000));
        assertFalse(b.tryLock("KEY3", "me", 30_000), "a live lease in the documented layout holds");
    }

    @Test
    void locksArePerNamespaceAndClearedWithIt() throws Exception {
        MongoBackend shop = backend("localhost/shop");
        MongoBackend blog = backend("localhost/blog");
        assertTrue(shop.tryLock("KEY1", "a", 30_000));
        assertTrue(blog.tryLock("KEY1", "b", 30_000), "the same key of another namespace is another lock");
        shop.unlock("KEY1", "b");
        blog.unlock("KEY1", "a");
        assertEquals(2, lockCollection.countDocuments(), "an unlock never releases another namespace's lock");

        shop.clear();
        assertEquals(List.of("localhost/blog|KEY1"), lockCollection.find().map(d -> d.getString("_id").getValue())
                .into(new ArrayList<>()), "clear removes this namespace's locks only");
        assertTrue(shop.tryLock("KEY1", "c", 30_000));
        assertFalse(blog.tryLock("KEY1", "c", 30_000));
    }

    @Test
    void lockCollectionMustNotBeTheSessionCollection() {
        MongoClient client = MongoClients.create(MongoStore.settings(new ConnectionString(mongo.uri()), 5000));
        try {
            assertThrows(IllegalArgumentException.class, () -> new MongoBackend(client, MongoFixture.TEST_DATABASE,
                    collectionName, collectionName, "localhost/app", GRACE, MongoDocuments.MAX_DATA_BYTES, "test"));
        } finally {
            client.close();
        }
    }

    /** Guards the principal field and its index: written when there is one, absent when not, found per user. */
    @Test
    void principalIsAnIndexedFieldAbsentWithoutOne() throws Exception {
        MongoBackend b = backend("localhost/app");
        long now = System.currentTimeMillis();
        b.save("WITH", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000, "ann"));
        b.save("WITHOUT", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
        assertEquals("ann", collection.find(Filters.eq("_id", "localhost/app|WITH")).first().getString("principal")
                .getValue());
        assertFalse(collection.find(Filters.eq("_id", "localhost/app|WITHOUT")).first().containsKey("principal"));
        assertEquals("ann", b.stat("WITH").principal());
        assertNull(b.load("WITHOUT").principal());
        assertEquals(List.of("WITH"), b.keysOfPrincipal("ann", 10));
        assertTrue(b.touch("WITH", now + 1, now + 700_000));
        assertEquals(List.of("WITH"), b.keysOfPrincipal("ann", 10), "a touch keeps it");
        awaitIndexes(b);
        Map<String, BsonDocument> indexes = indexesOf(collection);
        BsonDocument principal = indexes.get(MongoIndexes.PRINCIPAL_INDEX);
        assertNotNull(principal, indexes.keySet().toString());
        assertEquals(new BsonDocument("app", new BsonInt32(1)).append("principal", new BsonInt32(1)),
                principal.getDocument("key"));
        assertTrue(principal.containsKey("partialFilterExpression"), principal.toJson());
    }

    /** Guards keysAfter's _id range: pages in key order, and never into a neighbouring namespace. */
    @Test
    void keysArePagedInOrderWithinTheNamespace() throws Exception {
        MongoBackend b = backend("localhost/app");
        MongoBackend neighbour = backend("localhost/app~2"); // sorts after "localhost/app|"
        long now = System.currentTimeMillis();
        for (String key : List.of("K3", "K0", "K4", "K1", "K2")) {
            b.save(key, new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
            neighbour.save(key + "N", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
        }
        assertEquals(List.of("K0", "K1"), b.keysAfter(null, 2));
        assertEquals(List.of("K2", "K3"), b.keysAfter("K1", 2));
        assertEquals(List.of("K4"), b.keysAfter("K3", 2));
        assertEquals(List.of(), b.keysAfter("K4", 2));
    }
}
