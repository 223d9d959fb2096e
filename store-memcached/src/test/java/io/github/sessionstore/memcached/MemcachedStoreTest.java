package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.catalina.session.StandardSession;
import org.apache.tomcat.util.IntrospectionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.RefusedSettings;
import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;
import net.spy.memcached.MemcachedClient;

/** Memcached specifics: size limits, the cheap touch and version check, TTL arithmetic, key layout, settings. */
class MemcachedStoreTest {

    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.perClass();
    static MemcachedClient raw;
    private final List<StoreNode> nodes = new ArrayList<>();
    private final String prefix = "u" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void rawClient() throws Exception {
        raw = fixture.raw();
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (StoreNode n : nodes) {
            n.close();
        }
    }

    private StoreNode node(MemcachedStore store, String path) throws Exception {
        store.setServers(fixture.servers);
        if ("ss:".equals(store.getKeyPrefix())) {
            store.setKeyPrefix(prefix);
        }
        StoreNode n = new StoreNode(store, "localhost", path);
        nodes.add(n);
        return n;
    }

    /** Server-wide byte counters, summed over the fixture's servers. */
    private static long stat(String name) {
        long sum = 0;
        for (Map<String, String> s : raw.getStats().values()) {
            sum += Long.parseLong(s.get(name));
        }
        return sum;
    }

    // ---------------------------------------------------------------- size limits

    /** Guards the default maxSessionSize (memcached's 1 MB item): a 2 MB session is refused, counted, not thrown. */
    @Test
    void sessionAboveTheItemLimitFailsCleanly() throws Exception {
        StoreNode n = node(new MemcachedStore(), "/app");
        assertEquals(MemcachedStore.DEFAULT_MAX_SESSION_SIZE, n.store.getMaxSessionSize());
        StandardSession s = n.newSession(600);
        s.setAttribute("big", new byte[2 * 1024 * 1024]);
        assertEquals("FAILED", String.valueOf(n.endRequest(s)));
        assertEquals(1, n.store.statistics().getOversizeSessions());
        assertEquals(0, n.store.statistics().getSaves());
        assertNull(n.load(s.getId()));
    }

    /** Guards the refused-item check: a maxSessionSize above the server's -I fails as an error, not as success. */
    @Test
    void itemRefusedByTheServerIsAFailedWrite() throws Exception {
        MemcachedStore store = new MemcachedStore();
        store.setMaxSessionSize(64 * 1024 * 1024);
        StoreNode n = node(store, "/app");
        StandardSession s = n.newSession(600);
        byte[] big = new byte[20 * 1024 * 1024]; // above the fixture's -I 8m
        new Random(1).nextBytes(big);
        s.setAttribute("big", big);
        assertEquals("FAILED", String.valueOf(n.endRequest(s)));
        assertEquals(0, n.store.statistics().getOversizeSessions());
        assertTrue(n.store.statistics().getErrors() >= 1);
        assertNull(n.load(s.getId()));
    }

    // ---------------------------------------------------------------- hot path

    /**
     * Guards the touch by append: it moves a few bytes, never the session payload, never creates a record, and loads
     * and version checks see its expiry.
     */
    @Test
    void touchDoesNotMoveThePayloadAndItsExpiryIsSeen() throws Exception {
        StoreNode n = node(new MemcachedStore(), "/app");
        StandardSession s = n.newSession(600);
        byte[] payload = new byte[512 * 1024];
        new Random(2).nextBytes(payload);
        s.setAttribute("p", payload);
        assertEquals("WRITTEN", String.valueOf(n.endRequest(s)));
        MemcachedBackend b = (MemcachedBackend) n.backend();
        String key = s.getIdInternal();
        StoredSession meta = b.stat(key);
        assertNotNull(meta);
        assertNull(meta.data());
        byte[] before = b.load(key).data();

        long received = stat("bytes_read");
        long sent = stat("bytes_written");
        long later = System.currentTimeMillis() + 900_000;
        assertTrue(b.touch(key, later - 600_000, later));
        assertTrue(stat("bytes_read") - received < 16 * 1024, "touch rewrote the payload");
        assertTrue(stat("bytes_written") - sent < 16 * 1024, "touch read the payload");
        StoredSession after = b.load(key);
        assertEquals(later, after.expiresAt(), "load sees the touched expiry");
        assertEquals(later - 600_000, after.lastAccessed());
        assertEquals(meta.version(), after.version());
        assertArrayEquals(before, after.data(), "the payload is intact");
        assertEquals(later, b.stat(key).expiresAt(), "stat sees it too");
        assertFalse(b.touch("NOSUCHSESSION0123456", later, later), "touch never creates a record");
        assertNull(raw.get(b.itemKey("NOSUCHSESSION0123456")), "not even an empty item");
    }

    // ---------------------------------------------------------------- keys and namespaces

    /** Guards the key layout: the longest id with the longest prefix still fits memcached's 250-byte keys. */
    /** The principal index is not offered here (see the README); the core logs that at start. */
    @Test
    void noPrincipalIndex() throws Exception {
        MemcachedBackend b = new MemcachedBackend(MemcachedStore.parseServers(fixture.servers), true, true, "pi:",
                "/principals", 2000, MemcachedStore.DEFAULT_MAX_SESSION_SIZE, null, null);
        try {
            assertFalse(b.indexesPrincipals());
            assertThrows(UnsupportedOperationException.class, () -> b.keysOfPrincipal("alice", 10));
            long now = System.currentTimeMillis();
            b.save("PRINCIPAL", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000, "alice"));
            assertNull(b.load("PRINCIPAL").principal(), "not kept with the record either");
        } finally {
            b.close();
        }
    }

    @Test
    void longestIdAndPrefixFitTheKeyLimit() throws Exception {
        MemcachedStore store = new MemcachedStore();
        store.setKeyPrefix("p".repeat(64));
        StoreNode n = node(store, "/app");
        StandardSession s = n.newSession(600);
        s.setId("A".repeat(160), false);
        s.setAttribute("n", 5);
        assertEquals("WRITTEN", String.valueOf(n.endRequest(s)));
        assertEquals(5, n.load(s.getId()).getAttribute("n"));
        String lock = ((MemcachedBackend) n.backend()).itemKey("A".repeat(160)) + LockItem.LOCK_SUFFIX;
        assertTrue(lock.length() <= 250, lock.length() + " bytes");
    }

    /** Guards the per-namespace clear marker: clearing one webapp hides nothing of another. */
    @Test
    void clearHidesOnlyItsOwnNamespace() throws Exception {
        StoreNode app = node(new MemcachedStore(), "/app");
        StoreNode other = node(new MemcachedStore(), "/other");
        StandardSession s = app.newSession(600);
        s.setAttribute("n", 1);
        app.endRequest(s);
        StandardSession t = other.newSession(600);
        t.setAttribute("n", 2);
        other.endRequest(t);
        other.store.clear();
        assertNotNull(app.load(s.getId()));
        assertNull(other.load(t.getId()));
        t.setAttribute("n", 3);
        assertEquals("WRITTEN", String.valueOf(other.endRequest(t)), "a write after clear()");
        assertEquals(3, other.load(t.getId()).getAttribute("n"), "is visible again");
    }

    private static StoredSession record(long version) {
        long now = System.currentTimeMillis();
        return new StoredSession(new byte[] { (byte) version }, version, now, 600, now + 600_000);
    }

    /**
     * Guards clear() against the locking modes: memcached cannot delete the lock entries, so a lock taken before the
     * marker must be free after it, and a cleared record must count as absent for compare-and-set as it does for load.
     */
    @Test
    void clearFreesLocksAndCompareAndSetTreatsClearedRecordsAsAbsent() throws Exception {
        StoreNode a = node(new MemcachedStore(), "/app");
        StoreNode b = node(new MemcachedStore(), "/app");
        var backendA = a.backend();
        var backendB = b.backend();
        assertTrue(backendA.tryLock("CLEARLOCK", "before", 60_000));
        assertTrue(backendA.saveIfVersion("CLEARCAS", record(5), 0));
        assertFalse(backendB.tryLock("CLEARLOCK", "other", 60_000), "held before the clear");

        b.store.clear();

        assertTrue(backendB.tryLock("CLEARLOCK", "after", 60_000), "a lock from before clear() is void");
        assertFalse(backendA.tryLock("CLEARLOCK", "before", 60_000), "and its old owner does not get it back");
        backendA.unlock("CLEARLOCK", "before");
        assertFalse(backendA.tryLock("CLEARLOCK", "third", 60_000), "the old owner's unlock leaves the new lock");
        assertFalse(backendB.saveIfVersion("CLEARCAS", record(6), 5), "the cleared record is gone");
        assertTrue(backendB.saveIfVersion("CLEARCAS", record(6), 0), "so a new one may be created over it");
        assertEquals(6, backendA.load("CLEARCAS").version());
        assertEquals(6, backendA.stat("CLEARCAS").version());
        backendB.unlock("CLEARLOCK", "after");
        assertTrue(backendA.tryLock("CLEARLOCK", "third", 60_000));
        backendA.unlock("CLEARLOCK", "third");
    }

    // ---------------------------------------------------------------- TTL arithmetic

    @Test
    void ttlIsRelativeUpToThirtyDaysThenAbsolute() {
        long now = 1_800_000_000_000L;
        assertEquals(0, RecordItem.ttl(StoredSession.NEVER, now), "never expires");
        assertEquals(1800 + RecordItem.EXPIRY_GRACE_SECONDS, RecordItem.ttl(now + 1_800_000, now));
        assertEquals(2 + RecordItem.EXPIRY_GRACE_SECONDS, RecordItem.ttl(now + 1001, now), "rounded up");
        assertEquals(RecordItem.EXPIRY_GRACE_SECONDS, RecordItem.ttl(now - 5000, now), "already expired");
        long in40Days = now + 40L * 24 * 3600 * 1000;
        assertEquals(in40Days / 1000 + RecordItem.EXPIRY_GRACE_SECONDS, RecordItem.ttl(in40Days, now),
                "beyond 30 days memcached wants a unix time");
    }

    /** Guards the lease rounding: memcached's clock ticks once a second, so a lease gets one second more. */
    @Test
    void lockLeaseIsRoundedUpPlusOneTick() {
        long now = 1_800_000_000_000L;
        assertEquals(2, LockItem.leaseTtl(1000, now));
        assertEquals(3, LockItem.leaseTtl(1001, now), "rounded up");
        assertEquals(2, LockItem.leaseTtl(1, now));
        assertEquals(2, LockItem.leaseTtl(0, now), "at least a second");
        assertEquals(31, LockItem.leaseTtl(30_000, now));
        long days40 = 40L * 24 * 3600 * 1000;
        assertEquals(now / 1000 + days40 / 1000 + 1, LockItem.leaseTtl(days40, now), "unix time past 30 days");
        assertEquals(Integer.MAX_VALUE, LockItem.leaseTtl(Long.MAX_VALUE, now), "never 0 (= no expiry)");
    }

    // ---------------------------------------------------------------- ring

    @Test
    void backupIsAnotherServerAndRoutingIgnoresListOrder() {
        List<String> servers = MemcachedStore.parseServers("c:3 a:1,b:2");
        assertEquals(servers, MemcachedStore.parseServers("b:2, a:1 c:3"));
        Ring ring = new Ring(servers);
        Ring same = new Ring(MemcachedStore.parseServers("b:2 c:3 a:1"));
        int[] primaries = new int[3];
        for (int i = 0; i < 3000; i++) {
            String key = "k" + i;
            assertNotEquals(ring.primary(key), ring.backup(key));
            assertEquals(ring.primary(key), same.primary(key));
            assertEquals(ring.backup(key), same.backup(key));
            assertArrayEquals(new int[] { ring.primary(key), ring.backup(key) }, ring.copies(key));
            primaries[ring.primary(key)]++;
        }
        for (int p : primaries) {
            assertTrue(p > 500, "keys spread over the servers: " + java.util.Arrays.toString(primaries));
        }
        assertEquals(-1, new Ring(List.of("a:1")).backup("k"));
        assertArrayEquals(new int[] { 0, -1 }, new Ring(List.of("a:1")).copies("k"));
    }

    // ---------------------------------------------------------------- settings

    @Test
    void settingsAreValidated() {
        MemcachedStore store = new MemcachedStore();
        for (String bad : new String[] { "", "badhost", "badhost:0", "badhost:11211 badhost:11211", "::1:11211" }) {
            MemcachedStore s = new MemcachedStore();
            s.setServers(bad);
            assertRefused(s, "servers", bad.isEmpty() ? null : "badhost");
        }
        store.setServers("[::1]:11211, mc2:11212");
        assertEquals("[::1]:11211 mc2:11212", store.getServers());
        store.setProtocol("udp");
        assertRefused(store, "protocol", "udp");
        store.setProtocol("TEXT");
        assertEquals("text", store.getProtocol());
        for (String bad : new String[] { "has space", "ctl\n", "x".repeat(65) }) {
            MemcachedStore s = new MemcachedStore();
            s.setServers("mc:1");
            s.setKeyPrefix(bad);
            assertRefused(s, "keyPrefix", bad);
        }
        assertEquals("", store.getBackup(), "automatic");
        store.setBackup("maybe");
        assertRefused(store, "backup", "maybe");
        store.setBackup("TRUE");
        assertEquals("true", store.getBackup());
        store.setBackup("");
        assertEquals("", store.getBackup());
        assertNull(store.getPassword());
        assertNull(RefusedSettings.of(store), "valid values set later stand");
        store.setPassword("s3cret");
        assertEquals("****", store.getPassword(), "the secret is never exposed");
        assertRefused(store, "password", "s3cret"); // without username it would be ignored
        MemcachedStore none = new MemcachedStore();
        assertRefused(none, "servers", null);
    }

    /** The start would fail naming {@code attribute}, and without quoting {@code value}. */
    private static void assertRefused(MemcachedStore store, String attribute, String value) {
        String refused = RefusedSettings.of(store);
        assertTrue(refused != null && refused.contains("[" + attribute + "]"), attribute + ": " + refused);
        if (value != null) {
            assertFalse(refused.contains(value), refused);
        }
    }

    /** context.xml attributes reach the setters the way the Digester sets them. */
    @Test
    void digesterStyleAttributesApply() {
        MemcachedStore store = new MemcachedStore();
        assertTrue(IntrospectionUtils.setProperty(store, "servers", "mc2:11211,mc1:11211"));
        assertTrue(IntrospectionUtils.setProperty(store, "backup", "false"));
        assertTrue(IntrospectionUtils.setProperty(store, "protocol", "text"));
        assertTrue(IntrospectionUtils.setProperty(store, "keyPrefix", "shop:"));
        assertEquals("mc1:11211 mc2:11211", store.getServers());
        assertEquals("false", store.getBackup());
        assertEquals("text", store.getProtocol());
        assertEquals("shop:", store.getKeyPrefix());
    }

    /** SASL needs the binary protocol: the store does not start (rather than run without authentication). */
    @Test
    void saslOverTextProtocolIsRefused() throws Exception {
        MemcachedStore store = new MemcachedStore();
        store.setProtocol("text");
        store.setUsername("user");
        store.setPassword("s3cret");
        org.apache.catalina.LifecycleException e = assertThrows(org.apache.catalina.LifecycleException.class,
                () -> node(store, "/app"));
        String why = e.getMessage() + " / " + e.getCause();
        assertTrue(why.contains("[username] needs protocol=\"binary\""), why);
        assertFalse(why.contains("s3cret"), why);
    }

    /** Configuration is sealed at start: a later change is ignored. */
    @Test
    void settingsAreSealedOnceStarted() throws Exception {
        MemcachedStore store = new MemcachedStore();
        node(store, "/app");
        String servers = store.getServers();
        store.setServers("other:1");
        store.setBackup("false");
        assertEquals(servers, store.getServers());
        assertEquals("", store.getBackup());
    }
}
