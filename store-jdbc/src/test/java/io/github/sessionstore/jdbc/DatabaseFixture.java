package io.github.sessionstore.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.testkit.ClassFixture;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * A database for the tests, resolved in this order: 1) {@code SESSIONSTORE_JDBC_URL} (+ {@code _USER},
 * {@code _PASSWORD}) when its scheme is this fixture's; 2) Testcontainers when Docker answers; 3) the server binary
 * from PATH, on a free loopback port in a temp dir (only this one for a {@link #localOnly} fixture): the testkit's
 * {@link io.github.sessionstore.core.testkit.MariaDbServer MariaDbServer} and
 * {@link io.github.sessionstore.core.testkit.PostgresServer PostgresServer}, which the benchmarks launch too. A test
 * class declares it as {@code @RegisterExtension static final DatabaseFixture db = ...} (see {@link ClassFixture}).
 */
abstract class DatabaseFixture extends ClassFixture {

    static final String ENV_URL = "SESSIONSTORE_JDBC_URL";
    static final String ENV_USER = "SESSIONSTORE_JDBC_USER";
    static final String ENV_PASSWORD = "SESSIONSTORE_JDBC_PASSWORD";

    final String kind;
    String url;
    String user;
    String password;
    /** The local server, or null for an explicit endpoint or a container (which cannot be restarted here). */
    ServerProcess server;
    AutoCloseable container;
    /** Only the local server binary: for tests that signal, kill or configure the server process itself. */
    boolean localOnly;

    DatabaseFixture(String kind) {
        this.kind = kind;
    }

    /** Whether {@code url} belongs to this fixture's database family. */
    abstract boolean accepts(String url);

    abstract void startContainer() throws Exception;

    /** Starts the local server binary; false when it is not installed. */
    abstract boolean startLocal() throws Exception;

    /** Stops the local server the way a crash would (its data stays). */
    abstract void crash() throws Exception;

    @Override
    protected final void start() {
        try {
            String envUrl = System.getenv(ENV_URL);
            if (!localOnly && envUrl != null && !envUrl.isBlank() && accepts(envUrl)) {
                url = envUrl;
                user = System.getenv(ENV_USER);
                password = System.getenv(ENV_PASSWORD);
                announce("explicit endpoint " + JdbcStore.redact(url));
                return;
            }
            if (!localOnly && dockerAvailable()) {
                startContainer();
                announce("Testcontainers");
                return;
            }
            if (startLocal()) {
                awaitReady();
                announce("local " + server.name() + " on port " + server.port());
                return;
            }
        } catch (Exception e) {
            close();
            throw Fixtures.unavailable(kind, e.toString());
        }
        throw Fixtures.unavailable(kind, localOnly ? "no server binary on PATH"
                : "no " + ENV_URL + " for it, no Docker, and no server binary on PATH");
    }

    private void announce(String how) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            Fixtures.announce("jdbc-" + kind, how + ", " + rs.getString(1));
        }
    }

    private static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** A store over this database, configured as a user would. */
    JdbcStore newStore() {
        JdbcStore store = new JdbcStore();
        store.setUrl(url);
        if (user != null) {
            store.setUsername(user);
        }
        if (password != null) {
            store.setPassword(password);
        }
        return store;
    }

    /** A direct connection, for checks and administration. */
    Connection connect() throws SQLException {
        String u = url.regionMatches(true, 0, "jdbc:mariadb:", 0, 13) ? "jdbc:mysql:" + url.substring(13) : url;
        return DriverManager.getConnection(u, user, password);
    }

    /**
     * The port opens before the server takes sessions (PostgreSQL answers "the database system is starting up",
     * MariaDB may not have run its init file yet): connect until it works, bounded.
     */
    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = connect()) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    boolean canRestart() {
        return server != null;
    }

    /** Starts the crashed local server again on the same port and data. */
    void restart() throws Exception {
        server.restart();
        awaitReady();
    }

    Path workDir() {
        return server.workDir();
    }

    @Override
    public void close() {
        if (container != null) {
            try {
                container.close();
            } catch (Exception ignore) {
                // best effort
            }
            container = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

}
