package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.TestKeys;

/** Storage keys from ids: clear without keys, a keyed hash under the first key with them. */
class StorageKeysTest {

    private static final String ID = "0123456789ABCDEF0123456789ABCDEF";

    @Test
    void withoutKeysTheKeyIsTheIdWithoutItsRoute() {
        StorageKeys keys = StorageKeys.of(null, false);
        assertSame(StorageKeys.CLEAR, keys);
        assertEquals(ID, keys.of(ID + ".node1"));
        assertEquals(List.of(), keys.formerOf(ID));
        assertFalse(keys.hidesIds());
        assertFalse(keys.hasFormerKeys());
    }

    /** Guards the hash: a key reveals no id, is the same for every route, node and call, and fits any backend. */
    @Test
    void withKeysTheKeyIsAKeyedHashOfTheIdWithoutItsRoute() {
        String k1 = TestKeys.entry("k1");
        StorageKeys keys = StorageKeys.of(KeyRing.parse(k1), false);
        String key = keys.of(ID);
        assertTrue(keys.hidesIds());
        assertTrue(key.matches("[A-Za-z0-9_-]{43}"), key);
        assertFalse(key.contains(ID));
        assertEquals(key, keys.of(ID + ".node2"), "the route is not part of it");
        assertEquals(key, StorageKeys.of(KeyRing.parse(k1), true).of(ID), "another node with the same key");
        assertNotEquals(key, keys.of(ID.replace('0', '1')));
        assertNotEquals(key, StorageKeys.of(KeyRing.parse(TestKeys.entry("k1")), false).of(ID),
                "the same key id with other material");
        assertEquals(List.of(), keys.formerOf(ID), "one key: nowhere else to look");
        assertFalse(keys.hasFormerKeys());
    }

    @Test
    void anUnacceptableIdHasNoKey() {
        StorageKeys keys = StorageKeys.of(KeyRing.parse(TestKeys.entry("k1")), true);
        assertNull(keys.of("../../etc/passwd"));
        assertNull(keys.of(""));
        assertNull(keys.of(null));
        assertEquals(List.of(), keys.formerOf("a/b"));
    }

    /** Guards rotation: the other keys of the ring, in order, then the id itself while plain records are allowed. */
    @Test
    void formerKeysAreTheOtherKeysThenThePlainId() {
        String k1 = TestKeys.entry("k1");
        String k2 = TestKeys.entry("k2");
        String k3 = TestKeys.entry("k3");
        StorageKeys rotated = StorageKeys.of(KeyRing.parse(k3 + "," + k2 + "," + k1), true);
        assertEquals(StorageKeys.of(KeyRing.parse(k3), false).of(ID), rotated.of(ID));
        assertEquals(List.of(StorageKeys.of(KeyRing.parse(k2), false).of(ID),
                StorageKeys.of(KeyRing.parse(k1), false).of(ID), ID), rotated.formerOf(ID + ".r"));
        assertTrue(rotated.hasFormerKeys());
        assertTrue(StorageKeys.of(KeyRing.parse(k1), true).hasFormerKeys(), "plain records allowed");
    }

    @Test
    void twoEntriesWithTheSameMaterialAreOneKey() {
        String material = TestKeys.material();
        StorageKeys keys = StorageKeys.of(KeyRing.parse("a:" + material + ",b:" + material), false);
        assertEquals(List.of(), keys.formerOf(ID));
        assertFalse(keys.hasFormerKeys());
    }
}
