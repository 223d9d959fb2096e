package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.TestKeys;

/**
 * Sealed records (encryptionKeys, allowPlainRecords, compressThreshold) on the backend under test: what a node with
 * keys refuses before deserializing, key rotation, and that no key material leaks.
 */
public interface RecordSealContract extends FleetFixture {

    private static StoredSession raw(StoreNode node, String id) throws Exception {
        StoredSession r = node.backend().load(node.keyOf(id));
        assertNotNull(r, "stored record of " + id);
        return r;
    }

    /** Writes {@code data} as the record of {@code id}, valid for ten minutes. */
    private static void plant(StoreNode node, String id, byte[] data) throws Exception {
        long now = System.currentTimeMillis();
        node.backend().save(node.keyOf(id),
                new StoredSession(data, WriteStrategy.nextVersion(0), now, 600, now + 600_000));
    }

    private static StoreNode keyed(FleetFixture fleet, String keys) throws Exception {
        return fleet.node(s -> s.setEncryptionKeys(keys));
    }

    /** Guards authentication before deserialization: a record sealed with a wrong key never reaches readObject. */
    @Test
    default void forgedRecordUnderAWrongKeyIsNeverDeserialized() throws Exception {
        String k1 = TestKeys.material();
        StoreNode node = keyed(this, "k1:" + k1);
        StandardSession s = node.newSession(600);
        s.setAttribute("g", new Gadget());
        byte[] plain = SessionCodec.encode(s).bytes();
        String key = node.keyOf(s.getId());
        // The attacker knows the format and the key id, not the key
        byte[] forged = RecordSeal.of(KeyRing.parse(TestKeys.entry("k1")), false, 0, 1 << 20, "localhost/ops")
                .seal(plain, key, 1, Long.MAX_VALUE);
        plant(node, s.getId(), forged);
        Gadget.DESERIALIZED.set(0);
        assertNull(node.load(s.getId()));
        // Today's attack: a plain record with a gadget
        plant(node, s.getId(), plain);
        assertNull(node.load(s.getId()));
        assertEquals(0, Gadget.DESERIALIZED.get(), "a record that does not authenticate is never deserialized");
        assertEquals(2, node.metrics().unauthenticatedRecords.sum());
        assertEquals(0, node.metrics().loads.sum());
    }

    /** Guards the tag check and the associated data: one changed byte, or a record moved to another id, is absent. */
    @Test
    default void tamperedOrMovedRecordReadsAsAbsent() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = keyed(this, keys);
        StoreNode b = keyed(this, keys);
        StandardSession s = a.newSession(600);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        StoredSession record = raw(a, s.getId());
        assertEquals("k1", AesGcmSeal.keyIdOf(record.data()));
        assertEquals("alice", b.load(s.getId()).getAttribute("user"), "a fleet member with the key reads it");

        StandardSession victim = a.newSession(600);
        assertEquals(FlushResult.WRITTEN, a.endRequest(victim));
        plant(a, victim.getId(), record.data()); // a valid record copied under another session's id
        assertNull(b.load(victim.getId()));

        byte[] tampered = record.data().clone();
        tampered[tampered.length / 2] ^= 1;
        plant(a, s.getId(), tampered);
        assertNull(b.load(s.getId()));
        assertEquals(2, b.metrics().unauthenticatedRecords.sum());
        assertEquals(0, b.metrics().corruptRecords.sum());
    }

    /**
     * Guards rotation: [k2,k1] reads k1 records, moving each to its key under k2 at its first load (sealed with k2 and
     * gone from its k1 key), and writes k2; [k1] cannot read k2; [k2] alone reads k2 records.
     */
    @Test
    default void keysRotateWithoutDowntime() throws Exception {
        String k1 = TestKeys.entry("k1");
        String k2 = TestKeys.entry("k2");
        StoreNode old = keyed(this, k1);
        StandardSession s = old.newSession(600);
        s.setAttribute("step", 1);
        assertEquals(FlushResult.WRITTEN, old.endRequest(s));
        assertEquals("k1", AesGcmSeal.keyIdOf(raw(old, s.getId()).data()));
        StandardSession readOnly = old.newSession(600);
        readOnly.setAttribute("step", 0);
        assertEquals(FlushResult.WRITTEN, old.endRequest(readOnly));

        StoreNode rotating = keyed(this, k2 + "," + k1);
        assertNotEquals(old.keyOf(s.getId()), rotating.keyOf(s.getId()), "the first key names the record");
        StandardSession loaded = rotating.load(s.getId());
        assertNotNull(loaded, "the new first key does not lock out records of the old one");
        loaded.setAttribute("step", 2);
        assertEquals(FlushResult.WRITTEN, rotating.endRequest(loaded));
        assertEquals("k2", AesGcmSeal.keyIdOf(raw(rotating, s.getId()).data()), "the first key seals");
        // A session only read after the rotation moves at that read, so removing k1 loses nothing
        StandardSession readOnRotating = rotating.load(readOnly.getId());
        assertEquals(0, readOnRotating.getAttribute("step"));
        assertEquals("k2", AesGcmSeal.keyIdOf(raw(rotating, readOnly.getId()).data()));
        assertNull(old.backend().load(old.keyOf(readOnly.getId())), "moved: nothing left under its k1 key");
        assertNotEquals(FlushResult.WRITTEN, rotating.endRequest(readOnRotating), "the move was its write");

        assertNull(old.load(s.getId()), "a node without k2 cannot read what k2 sealed");

        StoreNode after = keyed(this, k2); // k1 removed after one session timeout
        assertEquals(2, after.load(s.getId()).getAttribute("step"));
        assertEquals(0, after.load(readOnly.getId()).getAttribute("step"));
        assertEquals(0, after.metrics().unauthenticatedRecords.sum());
    }

    /** Guards allowPlainRecords: a keyed node refuses plain records unless it is set, and says so at start. */
    @Test
    default void plainRecordsAreReadOnlyWhileExplicitlyAllowed() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode plainNode = node(s -> { });
        StandardSession s = plainNode.newSession(600);
        s.setAttribute("g", new Gadget());
        assertEquals(FlushResult.WRITTEN, plainNode.endRequest(s));

        StoreNode strict = keyed(this, keys);
        Gadget.DESERIALIZED.set(0);
        assertNull(strict.load(s.getId()), "not looked for under the id");
        plant(strict, s.getId(), raw(plainNode, s.getId()).data()); // nor read under its own key
        assertNull(strict.load(s.getId()));
        assertEquals(0, Gadget.DESERIALIZED.get());
        assertEquals(1, strict.metrics().unauthenticatedRecords.sum());
        strict.backend().delete(strict.keyOf(s.getId()));

        List<String> log = new ArrayList<>();
        StoreNode lenient;
        try (LogCapture c = new LogCapture(log)) {
            lenient = node(x -> {
                x.setEncryptionKeys(keys);
                x.setAllowPlainRecords(true);
            });
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("allowPlainRecords=true")), String.join("\n", log));
        StandardSession migrated = lenient.load(s.getId());
        assertNotNull(migrated, "plain records written before keys were configured stay readable while allowed");
        assertEquals("k1", AesGcmSeal.keyIdOf(raw(strict, s.getId()).data()), "moved to its key, sealed");
        assertNull(plainNode.backend().load(plainNode.keyOf(s.getId())), "and no longer under the id");
        assertNotNull(strict.load(s.getId()), "rewritten sealed");
        assertNull(plainNode.load(s.getId()), "a node without keys cannot read sealed records");
    }

    /**
     * Guards ids at rest: with keys, a record is stored under a keyed hash of its id, so a dump of the store names no
     * session; the fleet view still shows the id, read from the sealed record.
     */
    @Test
    default void storedKeysNameNoSession() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = keyed(this, keys);
        StandardSession s = a.newSession(600);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        String id = s.getIdInternal();
        String key = a.keyOf(id);
        assertEquals(43, key.length(), key);
        assertFalse(key.contains(id), key);
        assertNull(a.backend().load(id), "nothing is stored under the id");
        assertNotNull(a.backend().load(key));
        assertEquals(key, keyed(this, keys).keyOf(id), "every node with the same first key finds it");
        assertNotEquals(key, keyed(this, TestKeys.entry("k1")).keyOf(id), "the key is secret: other material, other key");
        if (listsSessions()) {
            for (String stored : ((SessionBackend.Listing) a.backend()).keys()) {
                assertFalse(stored.contains(id), () -> "a stored key holds the id: " + stored);
            }
            assertEquals(List.of(key), a.store.statistics().listSessionIds("", 10));
        }
        List<String> meta = a.store.statistics().sessionMetadata(id);
        assertTrue(meta.contains("id=" + id), meta::toString);
        assertTrue(meta.contains("key=" + key), meta::toString);
        assertEquals(meta, a.store.statistics().sessionMetadata(key), "the listed key finds it too");
    }

    /**
     * Guards the tombstone across a rotation: a record captured under the old first key's name before a logout on a
     * rotated node, written back after it, is not moved back into place.
     */
    @Test
    default void aRecordWrittenBackUnderAFormerKeyAfterALogoutIsRefused() throws Exception {
        String k1 = TestKeys.entry("k1");
        String k2 = TestKeys.entry("k2");
        StoreNode old = keyed(this, k1);
        StandardSession s = old.newSession(600);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, old.endRequest(s));
        String formerKey = old.keyOf(s.getId());
        StoredSession captured = raw(old, s.getId());

        StoreNode rotating = keyed(this, k2 + "," + k1);
        rotating.invalidateInRequest(rotating.load(s.getId())); // moved, then the logout
        assertNull(rotating.backend().load(formerKey));
        long now = System.currentTimeMillis();
        old.backend().save(formerKey, new StoredSession(captured.data(), captured.version(), now, 600,
                now + 86_400_000L));

        StoreNode b = keyed(this, k2 + "," + k1);
        assertNull(b.load(s.getId()), "the logout holds against the record written back under its former key");
        assertEquals(1, b.metrics().unauthenticatedRecords.sum());
        assertNull(b.backend().load(b.keyOf(s.getId())), "and it was not moved into place");
    }

    /**
     * Guards the sweep of a record left under a former key (its delete failed after the move): it goes without a
     * listener, and the session, alive under its current key, stays.
     */
    @Test
    default void aRecordLeftUnderAFormerKeyIsSweptWithoutEndingItsSession() throws Exception {
        assumeTrue(listsSessions(), "no sweep on this backend");
        String k1 = TestKeys.entry("k1");
        String k2 = TestKeys.entry("k2");
        StoreNode old = keyed(this, k1);
        StandardSession s = old.newSession(600);
        assertEquals(FlushResult.WRITTEN, old.endRequest(s));
        StoredSession left = raw(old, s.getId());
        StoreNode rotating = keyed(this, k2 + "," + k1);
        assertNotNull(rotating.load(s.getId()));
        long past = System.currentTimeMillis() - 700_000;
        old.backend().save(old.keyOf(s.getId()), new StoredSession(left.data(), left.version(), past, 600,
                past + 600_000));

        StoreNode sweeper = keyed(this, k2 + "," + k1);
        sweeper.store.processExpires();
        assertNull(old.backend().load(old.keyOf(s.getId())), "the leftover is claimed");
        assertEquals(List.of(), sweeper.destroyedIds, "no listener: the session lives on");
        assertNotNull(keyed(this, k2).load(s.getId()), "under its current key");
    }

    /** Guards the digest on the plaintext: encryption (a fresh nonce per write) must not turn reads into writes. */
    @Test
    default void unchangedSealedSessionIsNotRewritten() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = node(x -> {
            x.setEncryptionKeys(keys);
            x.setCompressThreshold(1024);
        });
        StandardSession s = a.newSession(600);
        s.setAttribute("big", "x".repeat(10_000));
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        assertNotEquals(FlushResult.WRITTEN, a.endRequest(s));
        assertEquals(1, a.metrics().saves.sum());
        StoreNode b = node(x -> x.setEncryptionKeys(keys));
        StandardSession onB = b.load(s.getId());
        assertNotEquals(FlushResult.WRITTEN, b.endRequest(onB));
        assertEquals(0, b.metrics().saves.sum());
    }

    /** Guards maxSessionSize on both forms: the sealed bytes the backend keeps, and the plaintext readers inflate. */
    @Test
    default void sizeLimitBoundsStoredAndPlainBytes() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = node(x -> {
            x.setEncryptionKeys(keys);
            x.setMaxSessionSize(1024);
        });
        StandardSession s = a.newSession(600);
        s.setNew(false); // as at the end of its request
        // incompressible plaintext just under the limit: sealing adds its header and tag
        StringBuilder noise = new StringBuilder();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2000 && noise.length() < 1200; i++) {
            noise.append((char) ('!' + random.nextInt(90)));
            s.setAttribute("v", noise.toString());
            if (SessionCodec.encode(s).bytes().length >= 1010) {
                break;
            }
        }
        assertTrue(SessionCodec.encode(s).bytes().length <= 1024);
        assertEquals(FlushResult.FAILED, a.endRequest(s), "sealed above maxSessionSize");
        // compressible plaintext above the limit that compresses below it: a reader could not inflate it
        StoreNode z = node(x -> {
            x.setEncryptionKeys(keys);
            x.setMaxSessionSize(1024);
            x.setCompressThreshold(100);
        });
        StandardSession big = z.newSession(600);
        big.setAttribute("v", "y".repeat(5000));
        assertEquals(FlushResult.FAILED, z.endRequest(big), "plaintext above maxSessionSize");
        assertEquals(1, a.metrics().oversizeSessions.sum());
        assertEquals(1, z.metrics().oversizeSessions.sum());
        assertEquals(0, a.metrics().saves.sum() + z.metrics().saves.sum());
    }

    /** Guards compression on this backend: stored smaller, read back by any node, with or without keys. */
    @Test
    default void largeRecordsAreStoredCompressed() throws Exception {
        String keys = TestKeys.entry("k1");
        for (String k : new String[] { "", keys }) {
            StoreNode a = node(x -> {
                x.setEncryptionKeys(k);
                x.setCompressThreshold(1024);
            });
            StandardSession s = a.newSession(600);
            String value = "session state ".repeat(8_000);
            s.setAttribute("big", value);
            assertEquals(FlushResult.WRITTEN, a.endRequest(s));
            int stored = raw(a, s.getId()).data().length;
            assertTrue(stored < value.length() / 10, "stored " + stored + " bytes");
            StoreNode b = node(x -> x.setEncryptionKeys(k)); // no compressThreshold: still reads it
            assertEquals(value, b.load(s.getId()).getAttribute("big"));
        }
    }

    /** Guards the optimistic re-read and re-encode: a conflicting write opens the other node's record and reseals. */
    @Test
    default void optimisticRebaseOpensAndResealsRecords() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = node(x -> {
            x.setEncryptionKeys(keys);
            x.setLockingMode("optimistic");
        });
        StoreNode b = node(x -> {
            x.setEncryptionKeys(keys);
            x.setLockingMode("optimistic");
        });
        StandardSession s = a.newSession(600);
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        StandardSession onA = a.load(s.getId());
        StandardSession onB = b.load(s.getId());
        onA.setAttribute("x", 1);
        assertEquals(FlushResult.WRITTEN, a.endRequest(onA));
        onB.setAttribute("y", 2);
        assertEquals(FlushResult.WRITTEN, b.endRequest(onB));
        assertEquals(1, b.metrics().versionConflicts.sum());
        StandardSession merged = node(x -> x.setEncryptionKeys(keys)).load(s.getId());
        assertEquals(1, merged.getAttribute("x"));
        assertEquals(2, merged.getAttribute("y"));
        assertEquals(0, b.metrics().unauthenticatedRecords.sum());
    }

    /** Guards the sweep's open: an expired sealed record is claimed and its listeners fire; a forged one's don't. */
    @Test
    default void sweepOpensClaimedSealedRecords() throws Exception {
        assumeTrue(listsSessions(), "no sweep on this backend");
        String keys = TestKeys.entry("k1");
        StoreNode a = keyed(this, keys);
        StandardSession s = a.newSession(600);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        StandardSession forgedSession = a.newSession(600);
        assertEquals(FlushResult.WRITTEN, a.endRequest(forgedSession));
        long past = System.currentTimeMillis() - 700_000;
        for (StandardSession x : List.of(s, forgedSession)) {
            StoredSession r = raw(a, s.getId()); // s's record under both ids: the second does not authenticate
            a.backend().save(a.keyOf(x.getId()),
                    new StoredSession(r.data(), r.version(), past, 600, past + 600_000));
        }
        StoreNode sweeper = keyed(this, keys);
        sweeper.store.processExpires();
        assertEquals(List.of(s.getId()), sweeper.destroyedIds);
        assertEquals(1, sweeper.metrics().unauthenticatedRecords.sum());
    }

    /**
     * Guards the tombstone: a record captured before a logout and written back after it (with an expiry of the
     * attacker's choosing in the metadata) does not bring the session back. Tombstones are no sessions: not listed,
     * and swept without a listener or a warning.
     */
    @Test
    default void aRecordWrittenBackAfterItsSessionWasInvalidatedIsRefused() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = keyed(this, keys);
        StandardSession s = a.newSession(600);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        String key = a.keyOf(s.getId());
        StoredSession captured = raw(a, s.getId());
        a.invalidateInRequest(s); // the logout
        assertNull(a.backend().load(key), "the logout deleted the record");
        long now = System.currentTimeMillis();
        a.backend().save(key, new StoredSession(captured.data(), captured.version(), now, 600, now + 86_400_000L));

        StoreNode b = keyed(this, keys);
        assertNull(b.load(s.getId()), "the logout holds against the record written back");
        assertEquals(1, b.metrics().unauthenticatedRecords.sum());
        assertEquals(0, b.metrics().loads.sum());
        String tomb = Tombstones.keyOf(key);
        assertNotNull(b.backend().load(tomb), "the tombstone is in the store");
        if (listsSessions()) {
            assertEquals(List.of(key), List.of(b.store.keys()), "listed: the session, never its tombstone");
            StoredSession t = b.backend().load(tomb);
            b.backend().save(tomb, new StoredSession(t.data(), t.version(), now - 20_000, 10, now - 10_000));
            b.backend().delete(key);
            b.store.processExpires();
            assertNull(b.backend().load(tomb), "an expired tombstone is swept");
            assertEquals(0, b.destroyed.get(), "no listener fires for a tombstone");
            assertEquals(0, b.metrics().corruptRecords.sum(), "nor is it read as a session");
        }
    }

    /**
     * Guards the binding to the expiry: a record written back after the expiry it was sealed with is refused, whatever
     * expiry the backend's metadata gives it.
     */
    @Test
    default void aRecordPastTheExpiryItWasSealedWithIsRefused() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = keyed(this, keys);
        StandardSession s = a.newSession(1);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        StoredSession captured = raw(a, s.getId());
        Thread.sleep(Math.max(0, captured.expiresAt() - System.currentTimeMillis()) + 200);
        long now = System.currentTimeMillis();
        a.backend().save(a.keyOf(s.getId()),
                new StoredSession(captured.data(), captured.version(), now, 600, now + 600_000));
        StoreNode b = keyed(this, keys);
        assertNull(b.load(s.getId()), "expired by its sealed expiry");
        assertEquals(1, b.metrics().unauthenticatedRecords.sum());
    }

    /**
     * Guards the expiry refresh under keys: an unchanged session kept in use is resealed with its new expiry (a full
     * write, at most once per grace), so it outlives the expiry its first record was sealed with.
     */
    @Test
    default void anUnchangedSealedSessionInUseOutlivesItsFirstSealedExpiry() throws Exception {
        String keys = TestKeys.entry("k1");
        StoreNode a = keyed(this, keys);
        StandardSession s = a.newSession(2);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        StoredSession first = raw(a, s.getId());
        Thread.sleep(1200); // more than half of the 2 s timeout: the refresh is due
        s.access();
        assertEquals(FlushResult.WRITTEN, a.endRequest(s), "under keys the refresh reseals: a full write");
        s.endAccess();
        StoredSession refreshed = raw(a, s.getId());
        assertNotEquals(first.version(), refreshed.version());
        assertTrue(refreshed.expiresAt() > first.expiresAt() + 500, "the stored expiry moved");
        Thread.sleep(Math.max(0, first.expiresAt() - System.currentTimeMillis()) + 100);
        StoreNode b = keyed(this, keys);
        assertNotNull(b.load(s.getId()), "alive past the expiry of its first record");
    }

    /** Guards secrecy: key material appears in no log line, MBean attribute, getter, toString or error message. */
    @Test
    default void keyMaterialNeverLeaks() throws Exception {
        String m1 = TestKeys.material();
        String m2 = TestKeys.material();
        String keys = "k2:" + m2 + ",k1:" + m1;
        List<String> seen = new ArrayList<>();
        StoreNode a;
        try (LogCapture c = new LogCapture(seen)) {
            a = node(x -> {
                x.setEncryptionKeys(keys);
                x.setAllowPlainRecords(true);
                x.setCompressThreshold(2048);
            });
            ObjectName name = a.store.getObjectName();
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            assertEquals("k2,k1", server.getAttribute(name, "EncryptionKeyIds"));
            assertEquals(2048, server.getAttribute(name, "CompressThreshold"));
            assertEquals(true, server.getAttribute(name, "AllowPlainRecords"));
            for (MBeanAttributeInfo info : server.getMBeanInfo(name).getAttributes()) {
                seen.add(String.valueOf(server.getAttribute(name, info.getName())));
            }
            StandardSession s = a.newSession(600);
            s.setAttribute("user", "alice");
            a.endRequest(s);
            plant(a, s.getId(), RecordSeal.of(KeyRing.parse(TestKeys.entry("k1")), false, 0, 1 << 20,
                    "localhost/ops").seal(SessionCodec.encode(s).bytes(), s.getId(), 1, Long.MAX_VALUE));
            assertNull(a.load(s.getId()));
            seen.add(a.store.toString());
            seen.add(a.store.getEncryptionKeys());
            seen.add(a.store.statistics().toString());
            a.store.setEncryptionKeys(keys); // after start: logged (by name) and ignored
            assertEquals("k2:****,k1:****", a.store.getEncryptionKeys());
            Exception refused = assertThrows(Exception.class,
                    () -> node(x -> x.setEncryptionKeys("k1:" + m1 + ",k1:" + m2)));
            seen.add(refused.getMessage());
            assertTrue(refused.getMessage().contains("[encryptionKeys]"), refused.getMessage());
        }
        assertTrue(seen.stream().anyMatch(l -> l.contains("[k2]")), "the start line names the key id");
        assertTrue(seen.stream().anyMatch(l -> l.contains("does not authenticate with key [k1]")), "the refusal is logged");
        for (String material : List.of(m1, m2)) {
            String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(material));
            for (String line : seen) {
                assertFalse(line != null && (line.contains(material) || line.toLowerCase().contains(hex)),
                        "key material in: " + line);
            }
        }
    }
}
