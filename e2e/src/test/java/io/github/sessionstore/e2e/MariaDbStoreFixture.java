package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.jdbc.E2eMariaDb;

/**
 * JdbcStore on MariaDB, with the MySQL/MariaDB context.xml of store-jdbc's README: {@code password="${DB_PASSWORD}"},
 * filled from the node's environment through {@code EnvironmentPropertySource} in its {@code catalina.properties}.
 * One local {@code mariadbd} (store-jdbc's MariaDbFixture) serves the whole test class, each test its own database;
 * {@link #stopShared()} stops it.
 */
final class MariaDbStoreFixture implements StoreFixture {

    static final String PROPERTY_SOURCE = "org.apache.tomcat.util.digester.PROPERTY_SOURCE="
            + "org.apache.tomcat.util.digester.EnvironmentPropertySource";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static E2eMariaDb shared;

    private E2eMariaDb server;
    private String database;

    @Override
    public String backend() {
        return "jdbc-mariadb";
    }

    @Override
    public List<Path> libs() {
        return List.of(E2eSettings.dropIn("store-jdbc"));
    }

    @Override
    public void start(Path workDir) throws Exception {
        server = shared();
        database = "e2e_" + DATABASES.incrementAndGet();
        server.createDatabase(database);
    }

    private static synchronized E2eMariaDb shared() throws Exception {
        if (shared == null) {
            shared = E2eMariaDb.start();
            Fixtures.announce("jdbc-mariadb", shared.describe());
        }
        return shared;
    }

    /** Stops the class's mariadbd (JdbcRealTomcatIT's {@code @AfterAll}). */
    static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    @Override
    public String storeElement(String extraAttributes) {
        return "<Store className=\"io.github.sessionstore.jdbc.JdbcStore\"\n"
                + "           url=\"jdbc:mysql://127.0.0.1:" + server.port() + "/" + database + "\"\n"
                + "           username=\"" + server.user() + "\"\n"
                + "           password=\"${DB_PASSWORD}\"\n"
                + "           table=\"tomcat_sessions\"\n"
                + "           maximumPoolSize=\"10\"\n"
                + "           connectionTimeout=\"3000\"\n"
                + "           operationTimeout=\"3000\""
                + (extraAttributes.isEmpty() ? "" : " " + extraAttributes) + "/>";
    }

    @Override
    public Map<String, String> nodeEnvironment() {
        return Map.of("DB_PASSWORD", server.password());
    }

    @Override
    public List<String> catalinaProperties() {
        return List.of(PROPERTY_SOURCE);
    }

    /** The nodes then start against a closed port; {@link #makeAvailable()} starts mariadbd on it. */
    @Override
    public void makeUnavailable() throws Exception {
        server.stop();
    }

    @Override
    public void makeAvailable() throws Exception {
        server.startAgain();
    }
}
