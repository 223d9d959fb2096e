package io.github.sessionstore.core;

/** The operator features' contract on the in-memory test backend. */
class MemoryOperatorContractTest extends OperatorContractTest {

    private final MemoryStore.Shared shared = new MemoryStore.Shared();

    @Override
    protected AbstractSessionStore newStore() {
        return new MemoryStore(shared);
    }
}
