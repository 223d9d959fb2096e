package io.github.sessionstore.core;

/** The contract on the in-memory reference backend: checks the suite itself and the policy without a server. */
class MemoryStoreContractTest extends StoreContractTest {

    private final MemoryStore.Shared shared = new MemoryStore.Shared();

    @Override
    protected AbstractSessionStore newStore() {
        return new MemoryStore(shared);
    }
}
