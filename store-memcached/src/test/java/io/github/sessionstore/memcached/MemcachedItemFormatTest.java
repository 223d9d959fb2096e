package io.github.sessionstore.memcached;

import static io.github.sessionstore.memcached.RawTranscoder.RAW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.MemcachedServer;
import io.github.sessionstore.core.testkit.ServerProcess;
import net.spy.memcached.MemcachedClient;

/**
 * The item format (SSM2, see {@link RecordItem}): one item per session and copy, touches appended to it, and bytes
 * that are not exactly this format never handed to the codec.
 */
class MemcachedItemFormatTest {

    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.perClass();
    static MemcachedClient raw;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String prefix = "f" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void rawClient() throws Exception {
        raw = fixture.raw();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }


    private StoreNode node(String servers) throws Exception {
        MemcachedStore store = new MemcachedStore();
        store.setServers(servers);
        store.setKeyPrefix(prefix);
        StoreNode n = new StoreNode(store, "localhost", "/app");
        resources.add(n);
        return n;
    }

    private static long stat(MemcachedClient c, String name) {
        long sum = 0;
        for (Map<String, String> s : c.getStats().values()) {
            sum += Long.parseLong(s.get(name));
        }
        return sum;
    }

    private static MemcachedBackend backend(StoreNode n) {
        return (MemcachedBackend) n.backend();
    }

    /** Guards one item per save: the floor's one set, where the two-item format wrote two (data and companion). */
    @Test
    void aSaveIsOneItem() throws Exception {
        StoreNode n = node(fixture.servers);
        int sessions = 10;
        long items = stat(raw, "curr_items");
        long sets = stat(raw, "cmd_set");
        List<StandardSession> written = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            StandardSession s = n.newSession(600);
            s.setAttribute("n", i);
            assertEquals("WRITTEN", String.valueOf(n.endRequest(s)));
            written.add(s);
        }
        assertEquals(sessions, stat(raw, "curr_items") - items, "items per new session");
        assertEquals(sessions, stat(raw, "cmd_set") - sets, "sets per save");
        for (StandardSession s : written) {
            s.setAttribute("n", -1);
            assertEquals("WRITTEN", String.valueOf(n.endRequest(s)));
        }
        assertEquals(sessions, stat(raw, "curr_items") - items, "a rewrite replaces the item");
        assertEquals(2L * sessions, stat(raw, "cmd_set") - sets, "one set per save");
    }

    /**
     * Guards the trailers' rule: the latest expiry wins, also over a touch that arrives late with an older one, and a
     * full write drops them.
     */
    @Test
    void touchesAreAppendedAndTheLatestExpiryWins() throws Exception {
        StoreNode n = node(fixture.servers);
        StandardSession s = n.newSession(600);
        s.setAttribute("p", new byte[1024]);
        n.endRequest(s);
        MemcachedBackend b = backend(n);
        String key = s.getIdInternal();
        int written = raw.get(b.itemKey(key), RAW).length;
        long now = System.currentTimeMillis();
        assertTrue(b.touch(key, now + 2000, now + 902_000));
        assertTrue(b.touch(key, now + 1000, now + 901_000), "a late touch of an older request");
        StoredSession meta = b.stat(key);
        assertEquals(now + 902_000, meta.expiresAt());
        assertEquals(now + 2000, meta.lastAccessed());
        assertEquals(now + 902_000, b.load(key).expiresAt());
        assertEquals(written + 2 * RecordItem.TRAILER, raw.get(b.itemKey(key), RAW).length, "two trailers");

        s.setAttribute("n", 1);
        assertEquals("WRITTEN", String.valueOf(n.endRequest(s)));
        byte[] rewritten = raw.get(b.itemKey(key), RAW);
        assertEquals(RecordItem.HEADER + b.load(key).data().length, rewritten.length, "no trailer after a write");
    }

    /**
     * Guards the parse: an item that is not exactly this format (a foreign or the earlier two-item format, a payload
     * length that does not fit, bytes after the payload that are not whole trailers) reads as absent and its bytes
     * never reach the codec, although each variant here carries a valid encoded session.
     */
    @Test
    void itemsNotExactlyThisFormatAreNeverDeserialized() throws Exception {
        StoreNode writer = node(fixture.servers);
        StandardSession s = writer.newSession(600);
        s.setAttribute("n", 7);
        writer.endRequest(s);
        String itemKey = backend(writer).itemKey(s.getIdInternal());
        byte[] good = raw.get(itemKey, RAW);
        assertEquals(7, node(fixture.servers).load(s.getId()).getAttribute("n"), "the unaltered item loads");
        byte[] payload = Arrays.copyOfRange(good, RecordItem.HEADER, good.length);

        Map<String, byte[]> variants = new LinkedHashMap<>();
        byte[] otherMagic = good.clone();
        otherMagic[3] = 'X';
        variants.put("another magic", otherMagic);
        variants.put("bytes after the payload", concat(good, new byte[7]));
        variants.put("a trailer of another magic", concat(good, new byte[RecordItem.TRAILER]));
        variants.put("a payload length beyond the item", withLength(good, payload.length + 1));
        variants.put("a payload length a trailer beyond", withLength(good, payload.length + RecordItem.TRAILER));
        variants.put("a negative payload length", withLength(good, -1));
        variants.put("truncated", Arrays.copyOf(good, good.length - 1));
        byte[] old = ByteBuffer.allocate(40 + payload.length).put("SSM1".getBytes(StandardCharsets.US_ASCII))
                .put(good, 4, 36).put(payload).array();
        variants.put("the earlier two-item format", old);
        variants.put("the bare encoded session", payload);
        for (Map.Entry<String, byte[]> v : variants.entrySet()) {
            assertTrue(raw.set(itemKey, 600, v.getValue(), RAW).get(), v.getKey());
            StoreNode reader = node(fixture.servers);
            assertNull(backend(reader).stat(s.getIdInternal()), v.getKey() + ": stat");
            assertNull(reader.load(s.getId()), v.getKey() + ": load");
        }
    }

    /**
     * Guards the fold of a trailer that no longer fits (the item at the server's size limit, memcached -I): the touch
     * rewrites the item without trailers, so loads and version checks keep seeing each new expiry.
     */
    @Test
    void aTrailerThatDoesNotFitIsFoldedIntoTheItem() throws Exception {
        ServerProcess small = MemcachedServer.launch(0, "2k");
        resources.add(small);
        String servers = "127.0.0.1:" + small.port();
        MemcachedClient smallRaw = MemcachedFixture.client(servers);
        resources.add(smallRaw::shutdown);
        StoreNode n = node(servers);
        StandardSession s = n.newSession(600);
        byte[] payload = new byte[1500];
        new Random(3).nextBytes(payload);
        s.setAttribute("p", payload);
        assertEquals("WRITTEN", String.valueOf(n.endRequest(s)));
        MemcachedBackend b = backend(n);
        String key = s.getIdInternal();
        int written = smallRaw.get(b.itemKey(key), RAW).length;
        int longest = written;
        boolean folded = false;
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 30; i++) {
            long expiresAt = now + 900_000 + i * 1000L;
            assertTrue(b.touch(key, now + i, expiresAt), "touch " + i);
            assertEquals(expiresAt, b.stat(key).expiresAt(), "stat after touch " + i);
            int length = smallRaw.get(b.itemKey(key), RAW).length;
            folded |= length < longest;
            longest = Math.max(longest, length);
        }
        assertTrue(folded, "the item reached the limit and was folded (longest " + longest + ", first " + written
                + " bytes)");
        StandardSession loaded = node(servers).load(s.getId());
        assertNotNull(loaded);
        assertTrue(Arrays.equals(payload, (byte[]) loaded.getAttribute("p")), "the payload survives the fold");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] withLength(byte[] item, int length) {
        byte[] out = item.clone();
        ByteBuffer.wrap(out).putInt(RecordItem.HEADER - 4, length);
        return out;
    }
}
