package io.github.sessionstore.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.github.sessionstore.core.testkit.MariaDbServer;
import io.github.sessionstore.core.testkit.PostgresServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The SQL servers of the JDBC backends, from PATH, launched by the testkit's {@link MariaDbServer} and
 * {@link PostgresServer} as store-jdbc's test fixtures are (loopback, free port, temp dir, a password user), but with
 * the servers' default durability (no {@code fsync=off}): one per run, shared.
 * Besides the store's own table (created by the store), each gets the floor's table and Tomcat's DataSourceStore
 * table.
 */
final class Databases {

    /** Benchmark-only credentials of a loopback server that lives for one run. */
    static final String USER = "bench";
    static final String PASSWORD = "bench-pw";

    static final String FLOOR_TABLE = "floor_sessions";
    static final String TOMCAT_TABLE = "tomcat_peer_sessions";

    private Databases() {
    }

    static String mariadbUnavailable() {
        return MariaDbServer.unavailable();
    }

    static String postgresUnavailable() {
        return PostgresServer.unavailable();
    }

    static SharedServer startMariaDb() throws Exception {
        Path mariadbd = ServerProcess.onPath("mariadbd");
        ServerProcess server = ServerProcess.prepare("mariadb");
        try {
            server.start(MariaDbServer.install(server, USER, PASSWORD, "", List.of("--innodb-buffer-pool-size=256M",
                    "--max-connections=500")), Map.of(), 60);
            String url = "jdbc:mysql://127.0.0.1:" + server.port() + "/sessionstore";
            String version;
            try (Connection c = awaitReady(url); Statement st = c.createStatement()) {
                version = version(st);
                version = version.contains("-") ? version.substring(0, version.indexOf('-')) : version;
                st.execute("CREATE TABLE " + FLOOR_TABLE + " (id VARCHAR(160) NOT NULL PRIMARY KEY, data LONGBLOB "
                        + "NOT NULL, expires_at BIGINT NOT NULL)");
                st.execute("CREATE TABLE " + TOMCAT_TABLE + " (session_id VARCHAR(100) NOT NULL PRIMARY KEY, "
                        + "valid_session CHAR(1) NOT NULL, max_inactive INT NOT NULL, last_access BIGINT NOT NULL, "
                        + "app_name VARCHAR(255), session_data MEDIUMBLOB, KEY kapp_name (app_name))");
            }
            return new SharedServer(url, "MariaDB " + version, "MariaDB " + version + " (" + mariadbd
                    + ", default durability: innodb_flush_log_at_trx_commit=1, 127.0.0.1:" + server.port() + ")",
                    server);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    static SharedServer startPostgres() throws Exception {
        Path bin = PostgresServer.binDir();
        ServerProcess server = ServerProcess.prepare("postgres");
        try {
            Path dir = server.workDir();
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, PASSWORD + "\n");
            List<String> asUser = PostgresServer.asServerUser(dir);
            server.run(PostgresServer.initdb(asUser, bin, dir.resolve("data"), USER, pwfile), 120);
            IntFunction<List<String>> postgres = PostgresServer.postgres(asUser, bin, dir.resolve("data"), server);
            server.start(port -> {
                List<String> cmd = postgres.apply(port);
                cmd.addAll(List.of("-c", "max_connections=300"));
                return cmd;
            }, Map.of(), 60);
            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
            String version;
            try (Connection c = awaitReady(url); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SHOW server_version")) {
                    rs.next();
                    version = rs.getString(1).split(" ")[0];
                }
                st.execute("CREATE TABLE " + FLOOR_TABLE + " (id VARCHAR(160) NOT NULL PRIMARY KEY, data BYTEA "
                        + "NOT NULL, expires_at BIGINT NOT NULL)");
            }
            return new SharedServer(url, "PostgreSQL " + version, "PostgreSQL " + version + " (" + bin
                    + "/postgres, default durability: fsync=on, synchronous_commit=on, 127.0.0.1:" + server.port()
                    + ")", server);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    /** The port opens before the server takes sessions: connect until it works, bounded. */
    private static Connection awaitReady(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return connect(url);
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static String version(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * For the scale run's bulk load only: commits without a log flush each; restored before anything is measured.
     */
    static AutoCloseable bulkLoading(String url) throws SQLException {
        boolean mysql = url.startsWith("jdbc:mysql:");
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            if (mysql) {
                st.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2");
            } else {
                st.execute("ALTER SYSTEM SET synchronous_commit = off");
                st.execute("SELECT pg_reload_conf()");
            }
        }
        return () -> {
            try (Connection c = connect(url); Statement st = c.createStatement()) {
                if (mysql) {
                    st.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 1");
                    try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.innodb_flush_log_at_trx_commit")) {
                        if (!rs.next() || rs.getInt(1) != 1) {
                            throw new IllegalStateException("innodb_flush_log_at_trx_commit was not restored to 1");
                        }
                    }
                } else {
                    st.execute("ALTER SYSTEM RESET synchronous_commit");
                    st.execute("SELECT pg_reload_conf()");
                }
            }
        };
    }
}
