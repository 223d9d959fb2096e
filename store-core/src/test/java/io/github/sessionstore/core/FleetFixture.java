package io.github.sessionstore.core;

import java.util.function.Consumer;

/**
 * The fixture the operator features' contracts run on: nodes of one fleet over the backend under test, and whether
 * that backend lists its sessions. It holds no tests; each feature's contract is an interface of default
 * {@code @Test} methods extending it, and {@link OperatorContractTest} supplies it for all of them.
 */
public interface FleetFixture {

    /**
     * A new node (a store and its manager) over the backend under test, configured by {@code settings} before it
     * starts, and stopped after the test. Every node of one test serves the same namespace.
     */
    StoreNode node(Consumer<AbstractSessionStore> settings) throws Exception;

    /** Whether the backend lists keys and sweeps expired records (memcached relies on native TTL instead). */
    boolean listsSessions();
}
