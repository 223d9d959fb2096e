package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The encryptionKeys setting: what is refused, and that no message or getter shows key material. */
class KeyRingTest {

    private static final String K1 = RecordSealTest.K1;
    private static final String K2 = RecordSealTest.K2;

    @Test
    void parsesIdsInOrderFirstSeals() {
        KeyRing r = KeyRing.parse(" k2:" + K2 + " , k1:" + K1);
        assertEquals("k2", r.primaryId());
        assertEquals(List.of("k2", "k1"), r.ids());
        assertEquals("k2,k1", r.toString());
        assertNull(KeyRing.parse(""));
        assertNull(KeyRing.parse(null));
    }

    @Test
    void refusesBadEntriesNamingTheIdNeverTheMaterial() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertRefused("k1:" + shortKey, "[k1]", shortKey);
        assertRefused("k1:" + K1 + ",k1:" + K2, "[k1] is listed twice", K2);
        assertRefused("k1:" + K1.substring(1) + "!", "[k1] is not valid base64", K1.substring(1));
        assertRefused(":" + K1, "entry 1 has no key id", K1);
        assertRefused(K1, "entry 1 has no key id", K1);
        assertRefused("k1:" + K1 + ",bad id:" + K2, "entry 2", K2);
    }

    @Test
    void getterAndMBeanShowIdsOnly() {
        MemoryStore store = new MemoryStore(new MemoryStore.Shared());
        assertNull(store.getEncryptionKeys());
        store.setEncryptionKeys("k2:" + K2 + ",k1:" + K1);
        assertEquals("k2:****,k1:****", store.getEncryptionKeys());
        store.setEncryptionKeys(store.getEncryptionKeys());
        String refused = store.refusedSettings();
        assertTrue(refused.contains("[encryptionKeys]") && refused.contains("[k2]"), refused);
    }

    private static void assertRefused(String value, String expected, String material) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyRing.parse(value));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(material), e.getMessage());
        assertNull(e.getCause(), "no cause that could carry the input");
    }
}
