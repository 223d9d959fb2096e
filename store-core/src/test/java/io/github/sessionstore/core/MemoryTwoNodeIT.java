package io.github.sessionstore.core;

/** The two-node Tomcat suite on the in-memory reference backend: the policy over HTTP without a server. */
class MemoryTwoNodeIT extends AbstractTwoNodeIT {

    private final MemoryStore.Shared shared = new MemoryStore.Shared();

    @Override
    protected AbstractSessionStore newStore() {
        return new MemoryStore(shared);
    }
}
