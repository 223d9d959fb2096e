package io.github.sessionstore.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.catalina.session.PersistentManager;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.file.SharedFileStore;

class JavaBeanAttributesTest {

    /** Spring's relaxed forms (kebab case, an environment variable's lower case) reach the store's setter. */
    @Test
    void relaxedNamesReachTheStoresSetters() {
        SharedFileStore store = new SharedFileStore();
        JavaBeanAttributes.apply(store, Map.of("operation-timeout", "1234", "maxsessionsize", "4096",
                "FLUSH_POLICY", "async"), "sessionstore.attributes.");
        assertEquals(1234, store.getOperationTimeout());
        assertEquals(4096, store.getMaxSessionSize());
        assertEquals("async", store.getFlushPolicy());
    }

    /** Guards the Manager's check: PersistentManager has no catch-all, an unknown name must not pass silently. */
    @Test
    void aManagerAttributeNoSetterTakesIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaBeanAttributes
                .apply(new PersistentManager(), Map.of("maxIdleBakcup", "s3cret-7f3a"), "sessionstore.manager."));
        assertTrue(e.getMessage().contains("sessionstore.manager.maxIdleBakcup"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-7f3a"), e.getMessage());
    }

    @Test
    void aManagerAttributeThatIsNotANumberIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaBeanAttributes
                .apply(new PersistentManager(), Map.of("max-idle-backup", "s3cret-7f3a"), "sessionstore.manager."));
        assertTrue(e.getMessage().startsWith("sessionstore.manager.max-idle-backup: "), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-7f3a"), e.getMessage());
    }

    @Test
    void managerAttributesAreSet() {
        PersistentManager m = new PersistentManager();
        JavaBeanAttributes.apply(m, Map.of("max-idle-backup", "7"), "sessionstore.manager.");
        assertEquals(7, m.getMaxIdleBackup());
    }
}
