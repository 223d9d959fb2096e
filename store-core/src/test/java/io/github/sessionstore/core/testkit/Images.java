package io.github.sessionstore.core.testkit;

/**
 * The Testcontainers images of every fixture, pinned here only: a fixture takes its server from an explicit endpoint,
 * then from one of these when Docker answers, then from the binary on PATH.
 */
public final class Images {

    public static final String REDIS = "redis:7";
    public static final String MEMCACHED = "memcached:1.6";
    public static final String MONGO = "mongo:7";
    public static final String MYSQL = "mysql:8.4";
    public static final String POSTGRES = "postgres:17";

    private Images() {
    }
}
