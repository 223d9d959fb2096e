package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A backend without the principal index (as memcached): the store says so in one line at start, and both MBean
 * operations refuse with a clear message.
 */
class PrincipalIndexUnsupportedTest {

    @Test
    void bothOperationsRefuseNamingTheBackend() throws Exception {
        MemoryStore store = new MemoryStore(new MemoryStore.Shared(), false);
        store.setPrincipalAttribute("user");
        try (LogCapture log = new LogCapture(); StoreNode node = new StoreNode(store, "localhost", "/noindex")) {
            assertEquals(1, log.count("[memory] does not index principals"), () -> String.valueOf(log.lines()));
            SessionStoreMXBean mbean = node.store.statistics();
            for (Exception e : List.of(assertThrows(UnsupportedOperationException.class,
                    () -> mbean.findSessionIds("alice")),
                    assertThrows(UnsupportedOperationException.class, () -> mbean.expireSessions("alice")))) {
                assertTrue(e.getMessage().contains("[memory] does not index principals, so findSessionIds and"
                        + " expireSessions are not available"), e.getMessage());
                assertTrue(e.getCause() == null, "no driver exception travels to a JMX client");
            }
        }
    }
}
