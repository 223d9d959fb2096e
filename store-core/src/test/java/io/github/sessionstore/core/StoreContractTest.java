package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.TestKeys;

/**
 * The contract every backend passes. A backend module adds a leaf class that supplies {@link #newStore()} (a new,
 * unconfigured-by-the-suite store over the one shared backend under test) and starts the server it needs.
 * <p>
 * Each test names the protection it guards; removing that protection turns it red.
 */
public abstract class StoreContractTest implements HostileRecordContract {

    /** A new store instance over the backend under test. Each call is another node of the same fleet. */
    protected abstract AbstractSessionStore newStore() throws Exception;

    /** Whether the backend lists keys and sweeps expired records (memcached relies on native TTL instead). */
    protected boolean listsSessions() {
        return true;
    }

    /** Grace the backend's expiry clock may need beyond a session's timeout (1 s for second-granular stores). */
    protected long expiryGraceMillis() {
        return 1100;
    }

    /** A secret of the store's configuration (a password) that must never show in JMX; {@code null} if none. */
    protected String secret() {
        return null;
    }

    protected StoreNode nodeA;
    protected StoreNode nodeB;
    private final List<StoreNode> extraNodes = new ArrayList<>();

    @BeforeEach
    void startNodes() throws Exception {
        nodeA = new StoreNode(newStore(), "localhost", "/app");
        nodeB = new StoreNode(newStore(), "localhost", "/app");
        nodeA.store.clear();
    }

    @AfterEach
    void stopNodes() throws Exception {
        try {
            nodeA.store.clear();
        } finally {
            for (StoreNode n : extraNodes) {
                n.close();
            }
            nodeA.close();
            nodeB.close();
        }
    }

    protected StoreNode extraNode(String host, String path) throws Exception {
        return extraNode(host, path, s -> { });
    }

    protected StoreNode extraNode(String host, String path, java.util.function.Consumer<AbstractSessionStore> settings)
            throws Exception {
        AbstractSessionStore store = newStore();
        settings.accept(store);
        StoreNode n = new StoreNode(store, host, path);
        extraNodes.add(n);
        return n;
    }

    static final class Cart implements Serializable {
        private static final long serialVersionUID = 1L;
        final Map<String, List<Integer>> lines = new LinkedHashMap<>();
        final Set<String> tags = new HashSet<>();
    }

    // ---------------------------------------------------------------- round trips and dirty detection

    @Test
    void roundTripKeepsNestedAndCollectionAttributes() throws Exception {
        StandardSession s = nodeA.newSession(600);
        Cart cart = new Cart();
        cart.lines.put("apple", new ArrayList<>(List.of(1, 2, 3)));
        cart.tags.add("gift");
        s.setAttribute("cart", cart);
        s.setAttribute("user", "alice");
        s.setAttribute("matrix", new int[][] { { 1, 2 }, { 3, 4 } });
        assertEquals(FlushResult.WRITTEN, nodeA.endRequest(s));

        StandardSession loaded = nodeB.load(s.getId());
        assertNotNull(loaded, "node B must find node A's session");
        assertEquals(s.getId(), loaded.getId());
        assertEquals("alice", loaded.getAttribute("user"));
        Cart c = (Cart) loaded.getAttribute("cart");
        assertEquals(List.of(1, 2, 3), c.lines.get("apple"));
        assertTrue(c.tags.contains("gift"));
        assertArrayEquals(new int[] { 3, 4 }, ((int[][]) loaded.getAttribute("matrix"))[1]);
        assertEquals(600, loaded.getMaxInactiveInterval());
    }

    /** Guards dirty detection of in-place changes: without it the second request's change would be lost. */
    @Test
    void inPlaceMutationWithoutSetAttributeIsFlushed() throws Exception {
        StandardSession s = nodeA.newSession(600);
        List<String> list = new ArrayList<>(List.of("a"));
        s.setAttribute("list", list);
        nodeA.endRequest(s);

        list.add("b"); // no setAttribute
        assertEquals(FlushResult.WRITTEN, nodeA.endRequest(s));

        StandardSession loaded = nodeB.load(s.getId());
        assertEquals(List.of("a", "b"), loaded.getAttribute("list"));
    }

    /** Guards the read-only fast path: an unchanged session costs no full write. */
    @Test
    void unchangedSessionIsNotRewritten() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("k", new ArrayList<>(List.of(1)));
        nodeA.endRequest(s);
        long saves = nodeA.metrics().saves.sum();
        for (int i = 0; i < 5; i++) {
            s.access();
            assertEquals(FlushResult.SKIPPED, nodeA.endRequest(s));
            s.endAccess();
        }
        assertEquals(saves, nodeA.metrics().saves.sum());
        assertEquals(5, nodeA.metrics().skippedWrites.sum());

        // The same holds for a copy loaded on another node
        StandardSession onB = nodeB.load(s.getId());
        assertEquals(FlushResult.SKIPPED, nodeB.endRequest(onB));
        assertEquals(0, nodeB.metrics().saves.sum());
    }

    /** Guards the coalesced touch: once the stored expiry runs low, an unchanged session is touched, not rewritten. */
    @Test
    void unchangedSessionIsTouchedWhenItsStoredExpiryRunsLow() throws Exception {
        StandardSession s = nodeA.newSession(4);
        s.setAttribute("k", "v");
        nodeA.endRequest(s);
        StoredSession before = nodeA.backend().stat(SessionKeys.storageKey(s.getId()));
        Thread.sleep(2300); // more than half of the 4 s timeout has passed
        s.access();
        assertEquals(FlushResult.TOUCHED, nodeA.endRequest(s));
        s.endAccess();
        StoredSession after = nodeA.backend().stat(SessionKeys.storageKey(s.getId()));
        assertTrue(after.expiresAt() > before.expiresAt() + 1000, "the touch moved the stored expiry");
        assertEquals(before.version(), after.version(), "a touch is not a write");
        assertEquals(1, nodeA.metrics().saves.sum());
    }

    /**
     * Guards against a stale copy pulling the stored expiry back: when node A drops (or stops with) its idle copy, it
     * must not touch the record with its own, older access time after node B kept the session alive.
     */
    @Test
    void evictingAStaleCopyNeverShortensTheStoredExpiry() throws Exception {
        StandardSession onA = nodeA.newSession(4);
        onA.setAttribute("k", "v");
        nodeA.endRequest(onA);
        Thread.sleep(2300); // past half the timeout: a touch is due for both copies
        StandardSession onB = nodeB.load(onA.getId());
        onB.access();
        assertEquals(FlushResult.TOUCHED, nodeB.endRequest(onB), "B keeps it alive");
        onB.endAccess();
        String key = SessionKeys.storageKey(onA.getId());
        long extended = nodeA.backend().stat(key).expiresAt();
        assertEquals(FlushResult.SKIPPED, nodeA.store.flush(onA, true, false));
        assertTrue(nodeA.backend().stat(key).expiresAt() >= extended, "the stored expiry did not move back");
    }

    @Test
    void twoNodesSeeEachOthersWrites() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("n", 1);
        nodeA.endRequest(s);
        StandardSession onB = nodeB.load(s.getId());
        onB.setAttribute("n", 2);
        nodeB.endRequest(onB);
        assertEquals(2, nodeA.load(s.getId()).getAttribute("n"));
    }

    @Test
    void jvmRouteSuffixDoesNotHideTheSession() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setId(s.getIdInternal() + ".nodeA", false);
        s.setAttribute("n", 7);
        nodeA.endRequest(s);
        String base = s.getIdInternal().substring(0, s.getIdInternal().indexOf('.'));
        StandardSession onB = nodeB.load(base + ".nodeB");
        assertNotNull(onB, "failover with another jvmRoute must find the session");
        assertEquals(7, onB.getAttribute("n"));
    }

    @Test
    void contextsAndHostsAreIsolated() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("n", 1);
        nodeA.endRequest(s);
        StoreNode otherApp = extraNode("localhost", "/other");
        StoreNode otherHost = extraNode("example.org", "/app");
        try {
            assertNull(otherApp.load(s.getId()), "another webapp must not see the session");
            assertNull(otherHost.load(s.getId()), "another virtual host must not see the session");
        } finally {
            otherApp.store.clear();
            otherHost.store.clear();
        }
    }

    // ---------------------------------------------------------------- remove, clear, keys

    @Test
    void invalidateInRequestDeletesTheRecord() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("n", 1);
        nodeA.endRequest(s);
        String id = s.getId();
        nodeA.invalidateInRequest(s);
        assertNull(nodeB.load(id));
        assertNull(nodeA.backend().load(SessionKeys.storageKey(id)));
    }

    /** Guards rule "remove() removes": Store.remove from any caller, outside any request, deletes the record. */
    @Test
    void removeFromAnyCallerDeletesTheRecord() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("n", 1);
        nodeA.endRequest(s);
        nodeA.store.remove(s.getId());
        assertNull(nodeB.load(s.getId()), "remove() deleted the record");
        StandardSession t = nodeB.newSession(600);
        nodeB.endRequest(t);
        nodeA.store.remove(t.getId()); // a node that never held it
        assertNull(nodeB.load(t.getId()));
    }

    /** Guards the deleted mark: a copy whose record was removed is never written back by a later flush. */
    @Test
    void aRemovedSessionIsNotWrittenBack() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("n", 1);
        nodeA.endRequest(s);
        String key = SessionKeys.storageKey(s.getId());
        nodeA.store.remove(s.getId());
        s.setAttribute("n", 2); // a request still holding the copy changes it
        assertEquals(FlushResult.SKIPPED, nodeA.endRequest(s));
        assertNull(nodeA.backend().load(key), "the removed record stays removed");
    }

    /**
     * Guards the housekeeping exception: Tomcat's own expiry of node A's copy, which timed out on A while node B kept
     * the session alive, does not delete the record.
     */
    @Test
    void localExpiryOfAStaleCopyKeepsTheSessionAliveElsewhere() throws Exception {
        StandardSession onA = nodeA.newSession(2);
        onA.setAttribute("n", 1);
        nodeA.endRequest(onA);
        Thread.sleep(1000);
        StandardSession onB = nodeB.load(onA.getId());
        onB.access();
        assertEquals(FlushResult.TOUCHED, nodeB.endRequest(onB), "B's request refreshes the stored expiry");
        onB.endAccess();
        Thread.sleep(1300); // A's copy is now past its 2 s timeout; B's request was 1.3 s ago
        assertFalse(onA.isValid(), "Tomcat expires A's idle copy (and calls Store.remove)");
        assertNotNull(nodeB.load(onA.getId()), "the session B kept alive is still in the store");
    }

    /**
     * Guards against a second sessionDestroyed: when no other node extended the session, Tomcat's expiry of the local
     * copy deletes the record at once (it fired the listeners), even inside the expiry grace.
     */
    @Test
    void localExpiryOfACurrentCopyDeletesTheRecord() throws Exception {
        StandardSession onA = nodeA.newSession(2);
        onA.setAttribute("n", 1);
        nodeA.endRequest(onA);
        String key = SessionKeys.storageKey(onA.getId());
        Thread.sleep(2050);
        assertFalse(onA.isValid(), "Tomcat expires A's copy");
        if (listsSessions()) { // memcached cannot claim: its TTL ends the record within the grace
            assertNull(nodeA.backend().load(key), "the record went with it; the sweep has nothing left to expire");
        }
    }

    @Test
    void removeAndClearAndKeys() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            StandardSession s = nodeA.newSession(600);
            s.setAttribute("i", i);
            nodeA.endRequest(s);
            ids.add(s.getId());
        }
        if (listsSessions()) {
            assertEquals(3, nodeB.store.getSize());
            assertEquals(ids, new HashSet<>(Arrays.asList(nodeB.store.keys())));
        }
        nodeB.store.clear();
        for (String id : ids) {
            assertNull(nodeA.load(id));
        }
        if (listsSessions()) {
            assertEquals(0, nodeA.store.getSize());
        }
    }

    // ---------------------------------------------------------------- expiry

    /** Guards O(expired) expiry and the atomic claim: only expired sessions are read, listeners fire once. */
    @Test
    void expiryReadsOnlyExpiredSessionsAndFiresOnceAcrossNodes() throws Exception {
        List<String> shortLived = new ArrayList<>();
        List<String> longLived = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            StandardSession s = nodeA.newSession(1);
            s.setAttribute("c", new CountingAttribute("short" + i));
            nodeA.endRequest(s);
            shortLived.add(s.getId());
            nodeA.store.evict(s);
        }
        for (int i = 0; i < 3; i++) {
            StandardSession s = nodeA.newSession(3600);
            s.setAttribute("c", new CountingAttribute("long" + i));
            nodeA.endRequest(s);
            longLived.add(s.getId());
        }
        Thread.sleep(1000 + expiryGraceMillis());

        for (String id : shortLived) {
            assertNull(nodeB.load(id), "an expired record is never served");
        }
        if (!listsSessions()) {
            for (String id : longLived) {
                assertNotNull(nodeB.load(id));
            }
            return;
        }
        Set<String> expiredKeys = new HashSet<>(Arrays.asList(nodeA.store.expiredKeys()));
        for (String id : longLived) {
            assertFalse(expiredKeys.contains(SessionKeys.storageKey(id)), "a live session is not listed as expired");
        }

        CountingAttribute.READS.set(0);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> { go.await(); nodeA.store.processExpires(); return null; });
            Future<?> b = pool.submit(() -> { go.await(); nodeB.store.processExpires(); return null; });
            go.countDown();
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(shortLived.size(), nodeA.destroyed.get() + nodeB.destroyed.get(),
                "each expired session fires sessionDestroyed exactly once across the nodes");
        Set<String> fired = new HashSet<>(nodeA.destroyedIds);
        fired.addAll(nodeB.destroyedIds);
        assertEquals(new HashSet<>(shortLived), fired);
        assertEquals(shortLived.size(), CountingAttribute.READS.get(),
                "only the expired sessions were deserialized");
        for (String id : longLived) {
            assertNotNull(nodeB.load(id), "live sessions survive the sweep");
        }
        assertEquals(longLived.size(), nodeB.store.getSize());
    }

    // ---------------------------------------------------------------- hostile input

    /** Guards the codec header check: bytes without it are never deserialized. */
    @Test
    void foreignSerializedBytesAreNeverDeserialized() throws Exception {
        Gadget.DESERIALIZED.set(0);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            oos.writeObject(new Gadget());
        }
        byte[] stream = bos.toByteArray();
        assertNull(nodeA.load(plant("FOREIGN0123456789", stream)));
        // the same stream behind six bytes that are not our header (would parse if the magic were not checked)
        byte[] forged = new byte[SessionCodec.HEADER_LENGTH + stream.length];
        System.arraycopy("EVIL!!".getBytes(), 0, forged, 0, SessionCodec.HEADER_LENGTH);
        System.arraycopy(stream, 0, forged, SessionCodec.HEADER_LENGTH, stream.length);
        assertNull(nodeA.load(plant("FORGED0123456789", forged)));
        assertEquals(0, Gadget.DESERIALIZED.get());
        assertEquals(2, nodeA.metrics().corruptRecords.sum());
    }

    @Test
    void corruptAndTruncatedPayloadsLoadAsAbsent() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("list", new ArrayList<>(List.of("x", "y")));
        nodeA.endRequest(s);
        byte[] good = nodeA.backend().load(SessionKeys.storageKey(s.getId())).data();

        String truncated = plant("TRUNCATED0123456", Arrays.copyOf(good, good.length / 2));
        assertNull(nodeB.load(truncated));

        byte[] flipped = good.clone();
        for (int i = SessionCodec.HEADER_LENGTH + 4; i < flipped.length; i += 7) {
            flipped[i] ^= 0x5a;
        }
        assertNull(nodeB.load(plant("FLIPPED012345678", flipped)));
        assertNull(nodeB.load(plant("EMPTY01234567890", new byte[0])));
        assertNull(nodeB.load(plant("RANDOM0123456789", "not a session at all".getBytes())));
        assertTrue(nodeB.metrics().corruptRecords.sum() >= 4);
        assertNotNull(nodeB.load(s.getId()), "the intact session still loads");
    }

    /**
     * Guards the Manager's class name filter on the store path: a filtered attribute is never instantiated and costs
     * only itself; a filter that refuses the session's own scalars refuses the whole record.
     */
    @Test
    void classFilterRejectsUnlistedAttributeClasses() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("g", new Gadget());
        s.setAttribute("kept", "text");
        nodeA.endRequest(s);
        Gadget.DESERIALIZED.set(0);
        nodeB.manager.setSessionAttributeValueClassNameFilter("java\\.lang\\.(?:String|Integer|Long|Boolean|Number)");
        StandardSession loaded = nodeB.load(s.getId());
        assertNotNull(loaded, "the rest of the session loads");
        assertNull(loaded.getAttribute("g"));
        assertEquals("text", loaded.getAttribute("kept"));
        assertEquals(1, nodeB.metrics().droppedAttributes.sum());
        StoreNode narrow = extraNode("localhost", "/app");
        narrow.manager.setSessionAttributeValueClassNameFilter("java\\.lang\\.(?:String|Integer)");
        assertNull(narrow.load(s.getId()), "Long is refused: the shell cannot be read");
        assertEquals(0, Gadget.DESERIALIZED.get(), "a filtered class must not be instantiated");
    }

    /**
     * Guards the read bound ({@link ReadBound}): a record above {@code maxSessionSize} that the fleet's writer would
     * never have written is refused by the backend (its payload does not reach the core), never deserialized, counted,
     * and is no failure of the store; a session the store wrote at its limit still loads.
     */
    @Test
    void oversizedRecordIsRefusedBeforeItIsReadWhole() throws Exception {
        int limit = 64 * 1024;
        StoreNode small = extraNode("localhost", "/app", st -> st.setMaxSessionSize(limit));
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("g", new Gadget());
        s.setAttribute("padding", new java.util.Random(22).ints(512 * 1024 / 4).toArray()); // 512 KB, incompressible
        String key = SessionKeys.storageKey(s.getId());
        byte[] oversized = SessionCodec.encode(s).bytes();
        plant(s.getId(), oversized); // straight into the backend: no writer checked its size
        assertNotNull(nodeA.backend().load(key), "the backend under the default limit reads it");

        Gadget.DESERIALIZED.set(0);
        for (int i = 0; i < 4; i++) { // more loads than it takes to open the circuit breaker
            assertNull(small.load(s.getId()), "an oversized record reads as absent");
        }
        assertEquals(0, Gadget.DESERIALIZED.get(), "an oversized record must not be deserialized");
        StoredSession refused = small.backend().load(key);
        assertNotNull(refused, "the record is there: a compare-and-set write must still see its version");
        assertEquals(0, refused.data().length, "the backend hands on no payload: " + refused.data().length);
        assertEquals(4, small.metrics().corruptRecords.sum());
        assertEquals(0, small.metrics().errors.sum(), "a refused record is no store failure");
        assertFalse(small.store.statistics().isCircuitOpen(), "a refused record must not trip the circuit breaker");

        if (listsSessions()) { // the sweep's claim is bounded the same way: an expired oversized record fires nothing
            long now = System.currentTimeMillis();
            String expired = SessionKeys.storageKey(s.getId() + "X");
            nodeA.backend().save(expired, new StoredSession(oversized, 1, now - 20_000, 10, now - 10_000));
            small.store.processExpires();
            assertNull(small.backend().stat(expired), "the sweep claimed it");
            assertEquals(0, Gadget.DESERIALIZED.get(), "the sweep must not deserialize an oversized record");
            assertEquals(0, small.destroyed.get(), "no listener fires for it");
            assertEquals(5, small.metrics().corruptRecords.sum());
        }

        // A session this store writes just under its limit loads on another node with the same limit
        StoreNode peer = extraNode("localhost", "/app", st -> st.setMaxSessionSize(limit));
        StandardSession atLimit = small.newSession(600);
        atLimit.setAttribute("padding", new byte[limit - 2048]);
        assertEquals(FlushResult.WRITTEN, small.endRequest(atLimit));
        StandardSession loaded = peer.load(atLimit.getId());
        assertNotNull(loaded, "a session written within maxSessionSize loads");
        assertEquals(limit - 2048, ((byte[]) loaded.getAttribute("padding")).length);
    }

    /** Guards id validation: hostile ids reach no backend and alias no stored session. */
    @Test
    void hostileIdsAreRejectedBeforeAnyBackendAccess() throws Exception {
        StandardSession s = nodeA.newSession(600);
        s.setId("VICTIM0123456789", false);
        s.setAttribute("secret", "x");
        nodeA.endRequest(s);
        List<String> hostile = List.of("../VICTIM0123456789", "VICTIM0123456789/../VICTIM0123456789",
                "..%2fVICTIM0123456789", "%2e%2e/VICTIM0123456789", "VICTIM0123456789\0", "..\\VICTIM0123456789",
                "VICTIM0123456789/.", "./VICTIM0123456789", "x".repeat(10_000), "VICTIM0123456789é", "",
                "VICTIM01234.56789.x", ".VICTIM0123456789", "VICTIM0123456789.", " VICTIM0123456789");
        for (String id : hostile) {
            assertNull(nodeB.load(id), () -> "hostile id must not load: " + SessionKeys.forLog(id));
            nodeB.store.remove(id);
        }
        assertEquals(hostile.size() * 2, nodeB.metrics().rejectedIds.sum());
        assertNotNull(nodeB.load("VICTIM0123456789"), "nothing was deleted through a hostile id");
    }

    /**
     * Guards the classAllowList option: under jdk-safe an attribute of any other class is refused unread (the session
     * loads without it).
     */
    @Test
    void jdkSafeAllowListRefusesApplicationClasses() throws Exception {
        StandardSession bad = nodeA.newSession(600);
        bad.setAttribute("g", new Gadget());
        nodeA.endRequest(bad);
        StandardSession good = nodeA.newSession(600);
        good.setAttribute("list", new ArrayList<>(List.of("a", "b")));
        good.setAttribute("map", new HashMap<>(Map.of("k", 1L)));
        good.setAttribute("when", java.time.Instant.ofEpochSecond(1_700_000_000L));
        good.setAttribute("amount", new java.math.BigDecimal("12.50"));
        nodeA.endRequest(good);

        StoreNode strict = extraNode("localhost", "/app", s -> s.setClassAllowList("jdk-safe"));
        Gadget.DESERIALIZED.set(0);
        StandardSession refused = strict.load(bad.getId());
        assertNotNull(refused, "the session loads");
        assertNull(refused.getAttribute("g"), "without the attribute whose class is outside the allow-list");
        assertEquals(1, strict.metrics().droppedAttributes.sum());
        assertEquals(0, Gadget.DESERIALIZED.get(), "and the class was never instantiated");
        StandardSession loaded = strict.load(good.getId());
        assertNotNull(loaded, "JDK value types pass");
        assertEquals(new java.math.BigDecimal("12.50"), loaded.getAttribute("amount"));
    }

    /**
     * Guards the structural limits and the no-exception promise: random ids, mutated payloads (bit flips,
     * truncations, corrupt lengths) and random sessions never throw out of the Store API and leak no descriptors.
     */
    @Test
    void fuzzedIdsPayloadsAndSessionsNeverEscape() throws Exception {
        java.util.Random rnd = new java.util.Random(20261127L);
        long fdsBefore = openFileDescriptors();
        String alphabet = "ABCxyz019-_./\\%\0 :;*?\né\u2028\uD83D\uDE00";
        for (int i = 0; i < 300; i++) {
            int len = rnd.nextInt(10) == 0 ? rnd.nextInt(2000) : rnd.nextInt(60);
            StringBuilder id = new StringBuilder();
            for (int c = 0; c < len; c++) {
                id.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String hostile = id.toString();
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> {
                nodeB.load(hostile);
                nodeB.store.remove(hostile);
            }, () -> "id " + SessionKeys.forLog(hostile));
        }

        StandardSession s = nodeA.newSession(600);
        s.setAttribute("list", new ArrayList<>(List.of("x", "y", "z")));
        s.setAttribute("bytes", new byte[300]);
        s.setAttribute("nested", new HashMap<>(Map.of("a", new ArrayList<>(List.of(1, 2)))));
        nodeA.endRequest(s);
        byte[] valid = nodeA.backend().load(SessionKeys.storageKey(s.getId())).data();
        for (int i = 0; i < 150; i++) {
            byte[] m = mutate(valid, rnd);
            String id = plant("FUZZ" + i + "X0123456789", m);
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> nodeB.load(id), () -> "payload mutation " + id);
        }

        for (int i = 0; i < 20; i++) {
            StandardSession r = nodeA.newSession(600);
            Map<String, Object> expected = new HashMap<>();
            for (int a = 0; a < 1 + rnd.nextInt(6); a++) {
                Object v = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextInt();
                    case 1 -> Long.toHexString(rnd.nextLong());
                    default -> new ArrayList<>(List.of(rnd.nextInt(100), rnd.nextInt(100)));
                };
                expected.put("attr" + a, v);
                r.setAttribute("attr" + a, v);
            }
            nodeA.endRequest(r);
            StandardSession back = nodeB.load(r.getId());
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                assertEquals(e.getValue(), back.getAttribute(e.getKey()));
            }
        }
        long fdsAfter = openFileDescriptors();
        if (fdsBefore >= 0) {
            assertTrue(fdsAfter - fdsBefore < 50, "file descriptors grew from " + fdsBefore + " to " + fdsAfter);
        }
    }

    private static byte[] mutate(byte[] valid, java.util.Random rnd) {
        byte[] m = valid.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> { // flip a few bytes after the header
                for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                    int at = SessionCodec.HEADER_LENGTH + rnd.nextInt(m.length - SessionCodec.HEADER_LENGTH);
                    m[at] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> m = Arrays.copyOf(m, SessionCodec.HEADER_LENGTH + rnd.nextInt(m.length - SessionCodec.HEADER_LENGTH));
            case 2 -> { // an absurd length where a length may be: 0x7fffffff
                int at = SessionCodec.HEADER_LENGTH + rnd.nextInt(m.length - SessionCodec.HEADER_LENGTH - 4);
                m[at] = 0x7f;
                m[at + 1] = (byte) 0xff;
                m[at + 2] = (byte) 0xff;
                m[at + 3] = (byte) 0xff;
            }
            default -> { // garbage appended
                byte[] tail = new byte[1 + rnd.nextInt(64)];
                rnd.nextBytes(tail);
                byte[] g = Arrays.copyOf(m, m.length + tail.length);
                System.arraycopy(tail, 0, g, m.length, tail.length);
                m = g;
            }
        }
        return m;
    }

    private static long openFileDescriptors() {
        java.io.File fd = new java.io.File("/proc/self/fd");
        String[] entries = fd.list();
        return entries == null ? -1 : entries.length;
    }

    // ---------------------------------------------------------------- concurrency and size

    @Test
    void concurrentSavesOfOneIdNeverTearTheRecord() throws Exception {
        int threads = 8;
        String id = "CONCURRENT0123456789";
        List<StandardSession> sessions = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            StoreNode node = t % 2 == 0 ? nodeA : nodeB;
            StandardSession s = node.newSession(600);
            s.setId(id, false);
            node.manager.removeSuper(s);
            byte[] payload = new byte[64 * 1024];
            Arrays.fill(payload, (byte) t);
            s.setAttribute("payload", payload);
            s.setAttribute("writer", t);
            sessions.add(s);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                StoreNode node = t % 2 == 0 ? nodeA : nodeB;
                StandardSession s = sessions.get(t);
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int round = 0; round < 5; round++) {
                        s.setAttribute("round", round);
                        assertTrue(node.store.flush(s, true, true) != FlushResult.FAILED);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        StandardSession loaded = nodeA.load(id);
        assertNotNull(loaded);
        int writer = (Integer) loaded.getAttribute("writer");
        byte[] payload = (byte[]) loaded.getAttribute("payload");
        for (byte b : payload) {
            assertEquals((byte) writer, b, "the record holds one writer's state only");
        }
    }

    // ---------------------------------------------------------------- locking primitives (SPI)

    private static StoredSession record(long version, int fill) {
        byte[] data = new byte[256];
        Arrays.fill(data, (byte) fill);
        long now = System.currentTimeMillis();
        return new StoredSession(data, version, now, 600, now + 600_000);
    }

    /** Guards the optimistic mode's compare-and-set: a write over a version it did not read must not land. */
    @Test
    void saveIfVersionWritesOnlyOverTheExpectedVersion() throws Exception {
        SessionBackend a = nodeA.backend();
        SessionBackend b = nodeB.backend();
        String key = "CASKEY0123456789";
        assertTrue(a.saveIfVersion(key, record(10, 1), 0), "0 means: only if absent, and it is absent");
        assertFalse(b.saveIfVersion(key, record(11, 2), 0), "there is a record now");
        assertFalse(b.saveIfVersion(key, record(11, 2), 9), "stored version is 10, not 9");
        StoredSession stored = a.load(key);
        assertEquals(10, stored.version());
        assertEquals(1, stored.data()[0]);
        assertTrue(b.saveIfVersion(key, record(11, 2), 10));
        stored = a.load(key);
        assertEquals(11, stored.version());
        assertEquals(2, stored.data()[0]);
        assertFalse(a.saveIfVersion(key, record(12, 3), 10), "version 10 was replaced");
        assertEquals(11, b.load(key).version());
        assertEquals(11, b.stat(key).version());
    }

    @Test
    void concurrentCompareAndSetHasExactlyOneWinner() throws Exception {
        String key = "CASRACE0123456789";
        nodeA.backend().save(key, record(100, 0));
        int winners = race((backend, t) -> backend.saveIfVersion(key, record(201 + t, t + 1), 100));
        assertEquals(1, winners, "exactly one writer may replace version 100");
        StoredSession stored = nodeB.backend().load(key);
        assertEquals(200 + stored.data()[0], stored.version(), "the record is the winner's, whole");
    }

    /** Guards the pessimistic mode: a held lock keeps every other owner out until its owner releases it. */
    @Test
    void sessionLockIsExclusiveAndOnlyItsOwnerReleasesIt() throws Exception {
        SessionBackend a = nodeA.backend();
        SessionBackend b = nodeB.backend();
        String key = "LOCKKEY0123456789";
        assertTrue(a.tryLock(key, "owner-a", 30_000), "no record needs to exist");
        assertFalse(b.tryLock(key, "owner-b", 30_000));
        assertTrue(a.tryLock(key, "owner-a", 30_000), "re-entrant for the same owner");
        b.unlock(key, "owner-b");
        assertFalse(b.tryLock(key, "owner-b", 30_000), "a foreign unlock must not release it");
        a.unlock(key, "owner-a");
        assertTrue(b.tryLock(key, "owner-b", 30_000));
        assertFalse(a.tryLock(key, "owner-a", 30_000));
        b.unlock(key, "owner-b");
        assertTrue(a.tryLock("OTHERKEY0123456789", "owner-a", 30_000), "locks are per session");
        assertTrue(b.tryLock(key, "owner-b2", 30_000));
        b.unlock(key, "owner-b2");
        a.unlock("OTHERKEY0123456789", "owner-a");
        if (a instanceof SessionBackend.Listing listing) {
            assertEquals(0, listing.size(), "lock entries are not sessions");
            assertTrue(listing.keys().isEmpty());
            assertTrue(listing.expiredKeys(Long.MAX_VALUE - 1, 100).isEmpty());
        }
        assertNull(a.load(key), "a lock does not create a session");
    }

    /** A node that dies holding a lock blocks the session for one lease at most. */
    @Test
    void lapsedLockLeaseCanBeTakenByAnotherOwner() throws Exception {
        SessionBackend a = nodeA.backend();
        SessionBackend b = nodeB.backend();
        String key = "LEASEKEY0123456789";
        assertTrue(a.tryLock(key, "dead-node", 1000));
        assertFalse(b.tryLock(key, "owner-b", 30_000));
        boolean taken = false;
        long deadline = System.currentTimeMillis() + 1000 + expiryGraceMillis() + 5000;
        for (int i = 0; i < 200 && !taken && System.currentTimeMillis() < deadline; i++) {
            Thread.sleep(100);
            taken = b.tryLock(key, "owner-b", 30_000);
        }
        assertTrue(taken, "the lapsed lease must be free again");
        a.unlock(key, "dead-node");
        assertFalse(a.tryLock(key, "dead-node", 30_000), "the late owner's unlock did not release the new lock");
        b.unlock(key, "owner-b");
    }

    @Test
    void concurrentLockAttemptsHaveExactlyOneWinner() throws Exception {
        String key = "LOCKRACE0123456789";
        assertEquals(1, race((backend, t) -> backend.tryLock(key, "owner-" + t, 30_000)));
    }

    @FunctionalInterface
    interface Attempt {
        boolean run(SessionBackend backend, int thread) throws Exception;
    }

    /** Eight threads, alternately on node A's and node B's backend, released at once; returns how many succeeded. */
    private int race(Attempt attempt) throws Exception {
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int winners = 0;
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SessionBackend backend = (t % 2 == 0 ? nodeA : nodeB).backend();
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    return attempt.run(backend, thread);
                }));
            }
            go.countDown();
            for (Future<Boolean> f : futures) {
                winners += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        return winners;
    }

    @Test
    void fiveMegabyteSessionRoundTrips() throws Exception {
        StandardSession s = nodeA.newSession(600);
        byte[] big = new byte[5 * 1024 * 1024];
        new java.util.Random(42).nextBytes(big);
        s.setAttribute("big", big);
        assertEquals(FlushResult.WRITTEN, nodeA.endRequest(s));
        assertArrayEquals(big, (byte[]) nodeB.load(s.getId()).getAttribute("big"));
    }

    // ---------------------------------------------------------------- class loading

    /** Attribute classes that only the webapp class loader knows must resolve on load. */
    @Test
    void attributeClassesResolveThroughTheWebappClassLoader() throws Exception {
        ClassLoader webapp = new IsolatingClassLoader(getClass().getClassLoader(), WebappOnlyValue.class.getName());
        Class<?> cls = webapp.loadClass(WebappOnlyValue.class.getName());
        Object value = cls.getConstructor(String.class).newInstance("from-webapp");
        StandardSession s = nodeA.newSession(600);
        s.setAttribute("v", value);
        nodeA.endRequest(s);

        nodeB.context.setLoader(new FixedLoader(webapp));
        StandardSession loaded = nodeB.load(s.getId());
        assertNotNull(loaded);
        Object v = loaded.getAttribute("v");
        assertSame(webapp, v.getClass().getClassLoader(), "resolved by the webapp class loader");
        assertEquals("from-webapp", v.toString());
    }

    public static class WebappOnlyValue implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String text;

        public WebappOnlyValue(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Defines one class itself (child first), as a webapp class loader does for WEB-INF/classes. */
    static final class IsolatingClassLoader extends ClassLoader {
        private final String isolated;
        private final Map<String, Class<?>> defined = new HashMap<>();

        IsolatingClassLoader(ClassLoader parent, String isolated) {
            super(parent);
            this.isolated = isolated;
        }

        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(isolated)) {
                return super.loadClass(name, resolve);
            }
            Class<?> c = defined.get(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] b = in.readAllBytes();
                    c = defineClass(name, b, 0, b.length);
                    defined.put(name, c);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            return c;
        }
    }

    // ---------------------------------------------------------------- JMX

    /**
     * The store is visible over JMX with its counters, and neither an attribute nor its toString carries a secret: the
     * key material every store here is given ({@code encryptionKeys}, shown by id only) and the backend's own secret
     * where its configuration has one ({@link #secret()}). Guards the masking of both, and the save counter.
     */
    @Test
    void mbeanShowsCountersAndNoSecrets() throws Exception {
        String material = TestKeys.material();
        StoreNode node = extraNode("localhost", "/app", x -> x.setEncryptionKeys("k1:" + material));
        StandardSession s = node.newSession(600);
        s.setAttribute("n", 1);
        node.endRequest(s);
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = node.store.getObjectName();
        assertNotNull(name, "the store registered an MBean");
        assertEquals("SessionStore", name.getKeyProperty("type"));
        assertEquals(1L, server.getAttribute(name, "Saves"));
        assertEquals(node.store.statistics().getBackend(), server.getAttribute(name, "Backend"));
        assertEquals("k1", server.getAttribute(name, "EncryptionKeyIds"), "the key shows by its id");
        List<String> secrets = new ArrayList<>(List.of(material));
        if (secret() != null) {
            secrets.add(secret());
        }
        List<String> shown = new ArrayList<>(List.of(node.store.toString()));
        for (javax.management.MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            shown.add(a.getName() + "=" + server.getAttribute(name, a.getName()));
        }
        for (String text : shown) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a secret shows in " + text);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Puts raw bytes under an id, as a compromised or buggy writer could. */
    @Override
    public StoreNode hostileWriter() {
        return nodeA;
    }

    @Override
    public StoreNode hostileReader() {
        return nodeB;
    }

    @Override
    public StoreNode hostileNode(java.util.function.Consumer<AbstractSessionStore> settings) throws Exception {
        return extraNode("localhost", "/app", settings);
    }

    @Override
    public String plantRecord(String id, byte[] data) throws IOException {
        return plant(id, data);
    }

    protected String plant(String id, byte[] data) throws IOException {
        long now = System.currentTimeMillis();
        nodeA.backend().save(SessionKeys.storageKey(id), new StoredSession(data, 1, now, 600, now + 600_000));
        return id;
    }
}
