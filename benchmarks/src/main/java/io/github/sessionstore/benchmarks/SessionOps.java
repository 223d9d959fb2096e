package io.github.sessionstore.benchmarks;

/**
 * The facade every store benchmark drives: one session of a fixed size, and the three things a request can cost it.
 * Implemented once through our Store ({@link StoreOps}) and once through the backend's raw client ({@link FloorOps}),
 * so every number has its floor next to it.
 */
public interface SessionOps extends AutoCloseable {

    /** The session changed: one full write. */
    void save() throws Exception;

    /** Read the session back (a request on a node that does not hold it). */
    Object load() throws Exception;

    /** A sticky request's check that this node's copy is still the stored one (sticky mode, core v2). */
    Object check() throws Exception;

    /** The session did not change but its stored expiry is due: refresh the expiry only. */
    void touch() throws Exception;

    /** The session did not change and its expiry is fresh: what an unchanged request costs (no I/O for our store). */
    void unchanged() throws Exception;

    @Override
    void close() throws Exception;
}
