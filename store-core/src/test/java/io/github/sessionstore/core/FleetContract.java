package io.github.sessionstore.core;

import java.util.function.Consumer;

/**
 * What the operator features' contracts ({@link OperatorContractTest}) need from the suite: nodes of one fleet over
 * the backend under test. Each feature's contract is an interface of default {@code @Test} methods extending this one.
 */
public interface FleetContract {

    /**
     * A new node (a store and its manager) over the backend under test, configured by {@code settings} before it
     * starts, and stopped after the test. Every node of one test serves the same namespace.
     */
    StoreNode node(Consumer<AbstractSessionStore> settings) throws Exception;

    /** Whether the backend lists keys and sweeps expired records (memcached relies on native TTL instead). */
    boolean listsSessions();
}
