package io.github.sessionstore.benchmarks;

import java.nio.file.Path;
import java.util.function.Supplier;

import io.github.sessionstore.core.AbstractSessionStore;

/**
 * The backends under test, as Caffeine's {@code CacheType}: a JMH {@code @Param} and the list the HTTP comparison
 * iterates. Each is data: the note next to its numbers when it has no server, how its server is launched
 * ({@link Launcher}), and how a {@link Fixture} opens on it ({@link BackendFixtures}). To add one: a constant here, its
 * launcher ({@link ServerLaunchers}, {@link Databases}) and its fixture; nothing else changes. {@link Compare} starts a
 * backend's server once per run and every fixture shares it ({@link SharedServer}).
 */
public enum Backend {

    FILE("fsync=true", Launcher.NONE, BackendFixtures::file),
    MEMCACHED("memcached", new Launcher(ServerLaunchers::memcachedUnavailable, ServerLaunchers::startMemcached),
            BackendFixtures::memcached),
    MARIADB("MariaDB", new Launcher(Databases::mariadbUnavailable, Databases::startMariaDb), BackendFixtures::jdbc),
    POSTGRESQL("PostgreSQL", new Launcher(Databases::postgresUnavailable, Databases::startPostgres),
            BackendFixtures::jdbc),
    /** No mongod and no Docker here: mongo-java-server in this JVM, a wire-protocol stand-in, tagged as such. */
    MONGODB("in-JVM stand-in, not MongoDB", new Launcher(() -> null, ServerLaunchers::startMongoStandIn),
            BackendFixtures::mongo),
    REDIS("redis", new Launcher(ServerLaunchers::redisUnavailable, ServerLaunchers::startRedis),
            BackendFixtures::redis);

    /**
     * How a backend's server is launched.
     *
     * @param unavailable why it cannot run here (e.g. a server binary is missing), or {@code null}
     * @param start       starts a server to be shared by a whole run; returns {@code null} when the backend has none
     */
    record Launcher(Supplier<String> unavailable, Start start) {

        /** No server: files on a local directory. */
        static final Launcher NONE = new Launcher(() -> null, () -> null);

        interface Start {
            SharedServer start() throws Exception;
        }
    }

    /** How a backend's fixture opens under its work directory ({@link BackendFixtures}). */
    interface Opener {
        Fixture open(Backend backend, Path work) throws Exception;
    }

    private final String tag;
    private final Launcher launcher;
    private final Opener opener;

    Backend(String tag, Launcher launcher, Opener opener) {
        this.tag = tag;
        this.launcher = launcher;
        this.opener = opener;
    }

    /** Starts whatever this backend needs under {@code work} (deleted on close). */
    public Fixture open(Path work) throws Exception {
        return opener.open(this, work);
    }

    /**
     * Why this backend cannot run here (e.g. a server binary is missing), or {@code null}. The default run skips such a
     * backend and says so; naming it in {@code --backends} runs it anyway (and fails loudly).
     */
    public String unavailableReason() {
        return launcher.unavailable().get();
    }

    /** The backend's server, to be shared by a whole run, or {@code null} when it has none (files). */
    SharedServer startServer() throws Exception {
        return launcher.start().start();
    }

    /** The short note next to every number of this backend when it has no server (else the server's tag). */
    public String tag() {
        return tag;
    }

    /** One running backend: a factory for configured, unstarted stores on it, and its raw client. */
    public interface Fixture extends AutoCloseable {

        /** A new store (not started) pointing at this backend; every store from one fixture shares the records. */
        AbstractSessionStore newStore();

        /**
         * A store on the same records for bulk loading in the scale run (default: {@link #newStore()}); only the
         * loading may be cheaper than production settings, never what is measured.
         */
        default AbstractSessionStore newLoaderStore() {
            return newStore();
        }

        /**
         * Server settings for the scale run's bulk load only (e.g. no log flush per commit), undone by the returned
         * closer before anything is measured; default: none.
         */
        default AutoCloseable bulkLoading() throws Exception {
            return () -> {
            };
        }

        Floor floor() throws Exception;

        /** What actually runs: server, version, stand-in or not. Goes into every report row's label. */
        String describe();

        @Override
        void close() throws Exception;
    }
}
