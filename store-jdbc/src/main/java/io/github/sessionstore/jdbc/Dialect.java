package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.sessionstore.core.StoredSession;

/**
 * The SQL of one database family, built once per store. The differences are the upsert, the atomic expiry claim
 * and the DDL resource; everything else is portable.
 */
abstract class Dialect {

    static final String DEFAULT_TABLE = "tomcat_sessions";
    static final String COLUMNS = "data, version, last_access, max_inactive, expires_at";

    final String name;
    final String table;
    final String load;
    final String stat;
    final String upsert;
    final String touch;
    final String delete;
    final String expiredKeys;
    final String count;
    final String keys;
    final String clear;

    Dialect(String name, String table, String upsert) {
        this.name = name;
        this.table = table;
        this.load = "SELECT " + COLUMNS + " FROM " + table + " WHERE app = ? AND id = ?";
        this.stat = "SELECT version, last_access, max_inactive, expires_at FROM " + table
                + " WHERE app = ? AND id = ?";
        this.upsert = upsert;
        // Never backwards: a node's stale idle copy must not shorten an expiry another node extended
        this.touch = "UPDATE " + table + " SET last_access = GREATEST(last_access, ?),"
                + " expires_at = GREATEST(expires_at, ?) WHERE app = ? AND id = ?";
        this.delete = "DELETE FROM " + table + " WHERE app = ? AND id = ?";
        // (app, expires_at) index: a range scan over the expired rows only
        this.expiredKeys = "SELECT id FROM " + table + " WHERE app = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?";
        this.count = "SELECT COUNT(*) FROM " + table + " WHERE app = ?";
        this.keys = "SELECT id FROM " + table + " WHERE app = ?";
        this.clear = "DELETE FROM " + table + " WHERE app = ?";
    }

    /** Delete the record if expired at {@code now} and return it; exactly one caller across nodes gets it. */
    abstract StoredSession claimExpired(Connection c, String app, String key, long now, int queryTimeout)
            throws SQLException;

    /** Driver for a {@code jdbc:} URL of this family, or {@code null} to let DriverManager choose. */
    String driverClassName() {
        return null;
    }

    /** Driver properties bounding connect and socket reads. */
    abstract void timeouts(java.util.Properties props, int connectMillis, int socketMillis);

    /** The CREATE statements of {@code schema-<name>.sql}, for this store's table. */
    List<String> schema() throws IOException {
        return script("schema-" + name + ".sql");
    }

    List<String> dropSchema() throws IOException {
        return script("schema-drop-" + name + ".sql");
    }

    private List<String> script(String resource) throws IOException {
        String text;
        try (InputStream in = Dialect.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                out.add(statement.trim().replace(DEFAULT_TABLE, table));
            }
        }
        return out;
    }

    static StoredSession read(ResultSet rs, boolean withData) throws SQLException {
        int i = withData ? 2 : 1;
        return new StoredSession(withData ? rs.getBytes(1) : null, rs.getLong(i), rs.getLong(i + 1),
                rs.getInt(i + 2), rs.getLong(i + 3));
    }

    /** The dialect of a {@code jdbc:} URL. */
    static Dialect forUrl(String url, String table) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
            return new MySql(table);
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgreSql(table);
        }
        throw new IllegalArgumentException("url must start with jdbc:mysql:, jdbc:mariadb: or jdbc:postgresql:");
    }

    /** The dialect of a DataSource's {@code DatabaseMetaData.getDatabaseProductName()}. */
    static Dialect forProduct(String product, String table) throws IOException {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("mysql") || p.contains("mariadb")) {
            return new MySql(table);
        }
        if (p.contains("postgres")) {
            return new PostgreSql(table);
        }
        throw new IOException("unsupported database " + product + " (MySQL, MariaDB and PostgreSQL are)");
    }

    /** MySQL 8+ and MariaDB. */
    static final class MySql extends Dialect {

        private final String claimSelect;
        private final String claimDelete;

        MySql(String table) {
            super("mysql", table, "INSERT INTO " + table + " (app, id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE data = VALUES(data), version = VALUES(version),"
                    + " last_access = VALUES(last_access), max_inactive = VALUES(max_inactive),"
                    + " expires_at = VALUES(expires_at)");
            this.claimSelect = "SELECT " + COLUMNS + " FROM " + table
                    + " WHERE app = ? AND id = ? AND expires_at <= ? FOR UPDATE";
            this.claimDelete = "DELETE FROM " + table + " WHERE app = ? AND id = ? AND expires_at <= ?";
        }

        @Override
        String driverClassName() {
            return "com.mysql.cj.jdbc.Driver";
        }

        @Override
        void timeouts(java.util.Properties props, int connectMillis, int socketMillis) {
            props.setProperty("connectTimeout", Integer.toString(connectMillis));
            props.setProperty("socketTimeout", Integer.toString(socketMillis));
        }

        // No DELETE ... RETURNING in MySQL: lock the expired row, delete it, and keep it only if the delete counted
        @Override
        StoredSession claimExpired(Connection c, String app, String key, long now, int queryTimeout)
                throws SQLException {
            c.setAutoCommit(false);
            try {
                StoredSession found = null;
                try (PreparedStatement ps = c.prepareStatement(claimSelect)) {
                    ps.setQueryTimeout(queryTimeout);
                    ps.setString(1, app);
                    ps.setString(2, key);
                    ps.setLong(3, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            found = read(rs, true);
                        }
                    }
                }
                if (found != null) {
                    try (PreparedStatement ps = c.prepareStatement(claimDelete)) {
                        ps.setQueryTimeout(queryTimeout);
                        ps.setString(1, app);
                        ps.setString(2, key);
                        ps.setLong(3, now);
                        if (ps.executeUpdate() != 1) {
                            found = null;
                        }
                    }
                }
                c.commit();
                return found;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** PostgreSQL 9.5+. */
    static final class PostgreSql extends Dialect {

        private final String claim;

        PostgreSql(String table) {
            super("postgresql", table, "INSERT INTO " + table + " (app, id, " + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (app, id) DO UPDATE SET data = EXCLUDED.data,"
                    + " version = EXCLUDED.version, last_access = EXCLUDED.last_access,"
                    + " max_inactive = EXCLUDED.max_inactive, expires_at = EXCLUDED.expires_at");
            this.claim = "DELETE FROM " + table + " WHERE app = ? AND id = ? AND expires_at <= ? RETURNING " + COLUMNS;
        }

        @Override
        String driverClassName() {
            return "org.postgresql.Driver";
        }

        @Override
        void timeouts(java.util.Properties props, int connectMillis, int socketMillis) {
            // pgjdbc takes seconds
            props.setProperty("connectTimeout", Integer.toString(ceilSeconds(connectMillis)));
            props.setProperty("socketTimeout", Integer.toString(ceilSeconds(socketMillis)));
        }

        // One statement: a concurrent claim waits for the row lock, re-checks the condition and deletes nothing
        @Override
        StoredSession claimExpired(Connection c, String app, String key, long now, int queryTimeout)
                throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(claim)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                ps.setString(2, key);
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? read(rs, true) : null;
                }
            }
        }
    }

    static int ceilSeconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
