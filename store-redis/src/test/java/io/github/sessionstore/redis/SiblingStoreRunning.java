package io.github.sessionstore.redis;

import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class whose tests start and stop stores over and over: holds a lease on the shared client resources for
 * the whole class, as a sibling store of the same class loader (another webapp on the shared jar) does in production.
 * Each store's stop then releases only its own lease and returns at once, where the last one waits about a second for
 * netty's threads to end. The tests named in {@link #except} run without the lease (released before, taken again
 * after), so that their stores' last stop is the real one: the lifecycle suite's stopAndReloadLeaveNoThreadBehind
 * checks it; {@code RedisStoreTest} runs without this extension altogether.
 */
final class SiblingStoreRunning implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final Set<String> except;
    private SharedResources.Lease lease;

    /** Used by {@code @ExtendWith}: holds the lease through every test. */
    SiblingStoreRunning() {
        this(Set.of());
    }

    private SiblingStoreRunning(Set<String> except) {
        this.except = except;
    }

    /** For {@code @RegisterExtension}: the lease is not held during the tests with these method names. */
    static SiblingStoreRunning except(String... testMethods) {
        return new SiblingStoreRunning(Set.of(testMethods));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        lease = SharedResources.acquire();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (except.contains(context.getRequiredTestMethod().getName())) {
            release();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (except.contains(context.getRequiredTestMethod().getName())) {
            lease = SharedResources.acquire();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        release();
    }

    private void release() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
