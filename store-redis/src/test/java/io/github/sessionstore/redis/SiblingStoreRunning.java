package io.github.sessionstore.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class whose tests start and stop stores over and over and check nothing about threads: holds a lease on
 * the shared client resources for the whole class, as a sibling store of the same class loader (another webapp on the
 * shared jar) does in production. Each store's stop then releases only its own lease and returns at once, where the
 * last one waits about a second for netty's threads to end. The lifecycle suites (RedisTwoNodeIT:
 * stopAndReloadLeaveNoThreadBehind) and {@code RedisStoreTest} run without it, so the last stop's wait stays tested.
 */
final class SiblingStoreRunning implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SiblingStoreRunning.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("lease", SharedResources.acquire());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SharedResources.Lease lease = context.getStore(NS).remove("lease", SharedResources.Lease.class);
        if (lease != null) {
            lease.close();
        }
    }
}
