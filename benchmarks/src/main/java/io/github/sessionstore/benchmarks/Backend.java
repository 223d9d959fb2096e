package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.file.SharedFileStore;

/**
 * The backends under test, as Caffeine's {@code CacheType}: a JMH {@code @Param} and the list the HTTP comparison
 * iterates. To add one: a constant whose {@link #open} starts (or finds) the server and returns a {@link Fixture} with
 * a store factory and a raw-client {@link Floor}; nothing else changes.
 */
public enum Backend {

    FILE {
        @Override
        public Fixture open(Path work) throws IOException {
            Path dir = Files.createDirectories(work.resolve("file-store"));
            Path floorDir = Files.createDirectories(work.resolve("file-floor"));
            return new Fixture() {
                @Override
                public AbstractSessionStore newStore() {
                    SharedFileStore s = new SharedFileStore();
                    s.setDirectory(dir.toString());
                    return s;
                }

                @Override
                public Floor floor() {
                    return new FileFloor(floorDir, true);
                }

                @Override
                public String describe() {
                    return "SharedFileStore on a local temp dir (" + dir.getParent() + ", fsync=true); floor: "
                            + "temp file + force + atomic rename of the same bytes";
                }

                @Override
                public void close() {
                    ServerProcess.deleteTree(work);
                }
            };
        }
    };

    // JDBC, MEMCACHED, MONGODB: added by their modules' authors as above, e.g.
    //   MONGODB { public Fixture open(Path work) { ... in-JVM mongo-java-server stand-in ... } }

    /** Starts whatever this backend needs under {@code work} (deleted on close). */
    public abstract Fixture open(Path work) throws Exception;

    /**
     * Why this backend cannot run here (e.g. a server binary is missing), or {@code null}. The default run skips such a
     * backend and says so; naming it in {@code --backends} runs it anyway (and fails loudly).
     */
    public String unavailableReason() {
        return null;
    }

    /** One running backend: a factory for configured, unstarted stores on it, and its raw client. */
    public interface Fixture extends AutoCloseable {

        /** A new store (not started) pointing at this backend; every store from one fixture shares the records. */
        AbstractSessionStore newStore();

        Floor floor() throws Exception;

        /** What actually runs: server, version, stand-in or not. Goes into every report row's label. */
        String describe();

        @Override
        void close() throws Exception;
    }
}
