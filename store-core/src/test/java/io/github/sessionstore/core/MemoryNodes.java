package io.github.sessionstore.core;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two nodes, {@link #a} and {@link #b}, of one webapp over one in-memory store, for a test
 * ({@code @RegisterExtension final MemoryNodes nodes = new MemoryNodes("/app");}): new before each test, closed
 * after it, also when it failed.
 */
final class MemoryNodes implements BeforeEachCallback, AfterEachCallback {

    private final String contextPath;
    StoreNode a;
    StoreNode b;

    MemoryNodes(String contextPath) {
        this.contextPath = contextPath;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        MemoryStore.Shared shared = new MemoryStore.Shared();
        a = new StoreNode(new MemoryStore(shared), "localhost", contextPath);
        b = new StoreNode(new MemoryStore(shared), "localhost", contextPath);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (a != null) {
                a.close();
            }
        } finally {
            if (b != null) {
                b.close();
            }
            a = null;
            b = null;
        }
    }
}
