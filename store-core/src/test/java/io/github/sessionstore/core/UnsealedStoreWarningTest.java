package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sessionstore.core.testkit.TestKeys;

import org.junit.jupiter.api.Test;

/**
 * Guards the loud default: a store that reaches its backend over the network without encryptionKeys says once at
 * start what that exposes; one with keys, or one whose backend is a local directory, does not.
 */
class UnsealedStoreWarningTest {

    private static final String WARNING = "has no encryptionKeys";

    /** A store on the in-memory backend that declares it is not reached over the network (as the file store). */
    static final class LocalStore extends AbstractSessionStore {
        private final MemoryStore memory = new MemoryStore(new MemoryStore.Shared());

        @Override
        protected SessionBackend openBackend(String namespace) {
            return memory.openBackend(namespace);
        }

        @Override
        protected boolean reachesOverNetwork() {
            return false;
        }
    }

    @Test
    void networkStoreWithoutKeysWarnsOnceAtStart() throws Exception {
        try (LogCapture log = new LogCapture();
                StoreNode node = new StoreNode(new MemoryStore(new MemoryStore.Shared()), "localhost", "/app")) {
            node.endRequest(node.newSession(600));
            node.load(node.newSession(600).getId());
            assertEquals(1, log.count(WARNING, "localhost/app", "plant sessions", "run code", "Set encryptionKeys"));
        }
    }

    @Test
    void networkStoreWithKeysDoesNotWarn() throws Exception {
        MemoryStore store = new MemoryStore(new MemoryStore.Shared());
        store.setEncryptionKeys(TestKeys.entry("k1"));
        try (LogCapture log = new LogCapture(); StoreNode node = new StoreNode(store, "localhost", "/app")) {
            assertEquals(0, log.count(WARNING));
            assertEquals(1, log.count("encrypts records"), "the store did start, sealed");
        }
    }

    @Test
    void localStoreWithoutKeysDoesNotWarn() throws Exception {
        try (LogCapture log = new LogCapture(); StoreNode node = new StoreNode(new LocalStore(), "localhost", "/app")) {
            assertEquals(0, log.count(WARNING));
        }
    }
}
