package io.github.sessionstore.benchmarks;

/**
 * The raw client of a backend doing the same I/O as the store with none of its policy: no serialization, no digest,
 * no locks, no metrics. What a hand-written integration would at least cost.
 */
public interface Floor extends AutoCloseable {

    void write(String key, byte[] bytes, long expiresAt) throws Exception;

    byte[] read(String key) throws Exception;

    void touch(String key, long expiresAt) throws Exception;

    @Override
    void close() throws Exception;
}
