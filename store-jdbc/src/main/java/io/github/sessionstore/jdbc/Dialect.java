package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.StoredSession;

/**
 * The SQL of one database family, built once per store. The differences are the upsert, the atomic expiry claim,
 * the insert-if-absent, the lock acquisition, the DDL resource and PostgreSQL's check that a write's commit was
 * confirmed ({@link #confirmed}); everything else is portable.
 */
abstract class Dialect {

    static final String DEFAULT_TABLE = "tomcat_sessions";
    /** Suffix of the lock table's default name, appended to the session table's name. */
    static final String LOCK_SUFFIX = "_locks";
    static final String DEFAULT_LOCK_TABLE = DEFAULT_TABLE + LOCK_SUFFIX;
    /** Longest table name the store accepts (MySQL's identifier limit). */
    static final int MAX_IDENTIFIER = 64;
    static final String COLUMNS = "data, version, last_access, max_inactive, expires_at";
    /** The record's columns with the principal index's column (a table created before it has none). */
    static final String COLUMNS_WITH_PRINCIPAL = COLUMNS + ", principal";
    /** The names in the DDL resources; longest first, so that the lock table's is not read as the session table's. */
    private static final Pattern DDL_NAMES = Pattern.compile(DEFAULT_LOCK_TABLE + "|" + DEFAULT_TABLE);

    final String name;
    final String table;
    final String lockTable;
    /** Whether the table has the principal column: the record statements then write and read it. */
    final boolean principals;
    /** The record's columns, in {@link #bindRecord}'s order. */
    final String columns;
    /** {@link #columns} with the payload bounded: see {@link #load} and {@link #read(ResultSet, String, ReadBound)}. */
    final String boundedColumns;
    final String keysOfPrincipal;
    final String keysFrom;
    final String keysAfter;
    /**
     * The record with its payload only when the payload is within the read bound (the first parameter), and the
     * payload's length in any case: an oversized payload never leaves the database, in the same one round trip.
     */
    final String load;
    final String stat;
    final String upsert;
    /** Inserts a record unless there is one under (app, id): see {@link #insertIfAbsent}. */
    private final String insert;
    final String touch;
    final String delete;
    final String expiredKeys;
    final String count;
    final String keys;
    final String clear;
    /** Compare-and-set over an existing record: matches (row count 1) only while it holds the expected version. */
    final String updateIfVersion;
    final String lockCheck;
    final String unlock;
    final String clearLocks;
    final String purgeLapsedLocks;

    /**
     * @param upsertPrefix what turns the record insert into an upsert, followed by one {@code assignment} per column
     * @param assignment   the upsert's update of one column, {@code %1$s} standing for the column
     * @param insertClause what the insert-if-absent appends to the record insert ({@code ""}: a plain insert, whose
     *            duplicate-key error {@link #isDuplicateKey} recognizes)
     */
    Dialect(String name, String table, String lockTable, boolean principals, String upsertPrefix, String assignment,
            String insertClause) {
        this.name = name;
        this.table = table;
        this.lockTable = lockTable;
        this.principals = principals;
        this.columns = principals ? COLUMNS_WITH_PRINCIPAL : COLUMNS;
        List<String> names = List.of(columns.split(", "));
        String metadata = columns.substring("data, ".length());
        // OCTET_LENGTH: bytes of a BLOB (MySQL, MariaDB) or a bytea (PostgreSQL), computed on the server
        this.boundedColumns = "CASE WHEN OCTET_LENGTH(data) <= ? THEN data END, OCTET_LENGTH(data), " + metadata;
        this.load = "SELECT " + boundedColumns + " FROM " + table + " WHERE app = ? AND id = ?";
        this.stat = "SELECT " + metadata + " FROM " + table + " WHERE app = ? AND id = ?";
        String insertRecord = "INSERT INTO " + table + " (app, id, " + columns + ") VALUES (?, ?"
                + ", ?".repeat(names.size()) + ")";
        this.upsert = insertRecord + upsertPrefix
                + String.join(", ", names.stream().map(c -> String.format(assignment, c)).toList());
        this.insert = insertRecord + insertClause;
        // Never backwards: a node's stale idle copy must not shorten an expiry another node extended
        this.touch = "UPDATE " + table + " SET last_access = GREATEST(last_access, ?),"
                + " expires_at = GREATEST(expires_at, ?) WHERE app = ? AND id = ?";
        this.delete = "DELETE FROM " + table + " WHERE app = ? AND id = ?";
        // (app, expires_at) index: a range scan over the expired rows only
        this.expiredKeys = "SELECT id FROM " + table + " WHERE app = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?";
        this.count = "SELECT COUNT(*) FROM " + table + " WHERE app = ?";
        this.keys = "SELECT id FROM " + table + " WHERE app = ?";
        this.clear = "DELETE FROM " + table + " WHERE app = ?";
        this.updateIfVersion = "UPDATE " + table + " SET " + String.join(", ", names.stream().map(c -> c + " = ?")
                .toList()) + " WHERE app = ? AND id = ? AND version = ?";
        // (app, principal) index: the rows of one user only
        this.keysOfPrincipal = "SELECT id FROM " + table + " WHERE app = ? AND principal = ? LIMIT ?";
        // The primary key (app, id) pages on the server: one short range scan per page
        this.keysFrom = "SELECT id FROM " + table + " WHERE app = ? ORDER BY id LIMIT ?";
        this.keysAfter = "SELECT id FROM " + table + " WHERE app = ? AND id > ? ORDER BY id LIMIT ?";
        this.lockCheck = "SELECT owner, lease_until FROM " + lockTable + " WHERE app = ? AND id = ?";
        // Only the owner's row; its own lapsed row too (a lapsed lease is free anyway, so this only tidies up)
        this.unlock = "DELETE FROM " + lockTable + " WHERE app = ? AND id = ? AND owner = ?";
        this.clearLocks = "DELETE FROM " + lockTable + " WHERE app = ?";
        this.purgeLapsedLocks = "DELETE FROM " + lockTable + " WHERE app = ? AND lease_until <= ?";
    }

    /** The lock table's default name for a session table: {@code <table>_locks}, shortened to fit an identifier. */
    static String defaultLockTable(String table) {
        String base = table.length() + LOCK_SUFFIX.length() <= MAX_IDENTIFIER ? table
                : table.substring(0, MAX_IDENTIFIER - LOCK_SUFFIX.length());
        return base + LOCK_SUFFIX;
    }

    /**
     * Insert the record only if there is none under (app, key), expired or not.
     *
     * @return {@code false} when a record was there; the connection is left usable (no failed transaction)
     */
    final boolean insertIfAbsent(Connection c, String app, String key, StoredSession s, int queryTimeout)
            throws SQLException {
        try {
            return update(c, queryTimeout, insert, app, key, s) == 1;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Whether an insert failed because its key is taken; never, where the insert-if-absent does not raise it. */
    boolean isDuplicateKey(SQLException e) {
        return false;
    }

    /**
     * Take or renew the lease of (app, key) for {@code owner} until {@code leaseUntil}: succeeds when there is no
     * lock row, when the row is {@code owner}'s, or when its lease has lapsed at {@code now}.
     */
    abstract boolean tryLock(Connection c, String app, String key, String owner, long leaseUntil, long now,
            int queryTimeout) throws SQLException;

    /** The same SQL for a table without the principal column (created before it; see {@code JdbcBackend}). */
    abstract Dialect withoutPrincipal();

    /**
     * Every statement of the store is prepared here: bounded by {@code queryTimeout} (seconds), with its parameters
     * bound in order. A String, Long or Integer is one parameter; a {@link StoredSession} is the record's
     * {@link #columns}, bound by {@link #bindRecord} wherever a record is written.
     */
    PreparedStatement prepare(Connection c, int queryTimeout, String sql, Object... params)
            throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            ps.setQueryTimeout(queryTimeout);
            int i = 1;
            for (Object p : params) {
                if (p instanceof StoredSession s) {
                    i = bindRecord(ps, i, s);
                } else if (p instanceof String v) {
                    ps.setString(i++, v);
                } else if (p instanceof Long v) {
                    ps.setLong(i++, v);
                } else if (p instanceof Integer v) {
                    ps.setInt(i++, v);
                } else {
                    throw new IllegalArgumentException("no binding for " + (p == null ? "null" : p.getClass()));
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            try {
                ps.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * {@link #prepare} and execute an INSERT, UPDATE or DELETE: its row count (matched rows, see the callers), once
     * {@link #confirmed} holds.
     */
    int update(Connection c, int queryTimeout, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, queryTimeout, sql, params)) {
            int rows = ps.executeUpdate();
            confirmed(ps);
            return rows;
        }
    }

    /**
     * Throws if the database reported the write just autocommitted on {@code st} as done though it is not as durable
     * as configured; see {@link PostgreSql#confirmed}. A no-op here: Connector/J reports a write its query timeout
     * cancelled as a timeout, also one the primary committed while it waited for the semi-sync acknowledgement.
     */
    void confirmed(Statement st) throws SQLException {
    }

    /** Binds the record's {@link #columns} from parameter {@code first} on; returns the next parameter's index. */
    private int bindRecord(PreparedStatement ps, int first, StoredSession s) throws SQLException {
        ps.setBytes(first, s.data());
        ps.setLong(first + 1, s.version());
        ps.setLong(first + 2, s.lastAccessed());
        ps.setInt(first + 3, s.maxInactive());
        ps.setLong(first + 4, s.expiresAt());
        if (!principals) {
            return first + 5;
        }
        ps.setString(first + 5, s.principal()); // null: a session without one, never in the index's lookups
        return first + 6;
    }

    /**
     * Delete the record if expired at {@code now} and return it (its payload within {@code bound}, as {@link #load}
     * reads it); exactly one caller across nodes gets it.
     */
    abstract StoredSession claimExpired(Connection c, String app, String key, long now, ReadBound bound,
            int queryTimeout) throws SQLException;

    /** Driver for a {@code jdbc:} URL of this family, or {@code null} to let DriverManager choose. */
    String driverClassName() {
        return null;
    }

    /** Driver properties bounding connect and socket reads. */
    abstract void timeouts(java.util.Properties props, int connectMillis, int socketMillis);

    /** The CREATE statements of {@code schema-<name>.sql}, for this store's session and lock tables. */
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
                // One pass: a configured name is never rewritten again, whatever it contains
                Matcher m = DDL_NAMES.matcher(statement.trim());
                out.add(m.replaceAll(r -> Matcher.quoteReplacement(
                        r.group().equals(DEFAULT_LOCK_TABLE) ? lockTable : table)));
            }
        }
        return out;
    }

    /** A row of {@link #stat}: the metadata without the payload. */
    StoredSession read(ResultSet rs) throws SQLException {
        return metadata(rs, 1, null);
    }

    /**
     * A row of {@link #boundedColumns}: the record, or, when its payload was above {@code bound} and so not sent,
     * {@link ReadBound#refused its metadata with an empty payload}.
     */
    StoredSession read(ResultSet rs, String key, ReadBound bound) throws SQLException {
        byte[] data = rs.getBytes(1);
        long length = rs.getLong(2);
        boolean oversized = data == null && !rs.wasNull() && !bound.admits(length);
        StoredSession s = metadata(rs, 3, data);
        return oversized ? bound.refused(key, length, s, false) : s;
    }

    private StoredSession metadata(ResultSet rs, int i, byte[] data) throws SQLException {
        return new StoredSession(data, rs.getLong(i), rs.getLong(i + 1), rs.getInt(i + 2), rs.getLong(i + 3),
                principals ? rs.getString(i + 4) : null);
    }

    /** The statements that add the principal column and its index to a table created before it. */
    List<String> principalMigration() throws IOException {
        return script("schema-principal-" + name + ".sql");
    }

    /** The dialect of a {@code jdbc:} URL. */
    static Dialect forUrl(String url, String table, String lockTable) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
            return new MySql(table, lockTable);
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgreSql(table, lockTable);
        }
        throw new IllegalArgumentException("url must start with jdbc:mysql:, jdbc:mariadb: or jdbc:postgresql:");
    }

    /** The dialect of a DataSource's {@code DatabaseMetaData.getDatabaseProductName()}. */
    static Dialect forProduct(String product, String table, String lockTable) throws IOException {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("mysql") || p.contains("mariadb")) {
            return new MySql(table, lockTable);
        }
        if (p.contains("postgres")) {
            return new PostgreSql(table, lockTable);
        }
        throw new IOException("unsupported database " + product + " (MySQL, MariaDB and PostgreSQL are)");
    }

    /** MySQL 8+ and MariaDB. */
    static final class MySql extends Dialect {

        private final String claimSelect;
        private final String claimDelete;
        private final String lockInsert;
        private final String lockTakeOver;

        MySql(String table, String lockTable) {
            this(table, lockTable, true);
        }

        MySql(String table, String lockTable, boolean principals) {
            // Insert-if-absent: a plain INSERT, and the duplicate-key error is the answer "there is a record". Not
            // INSERT IGNORE (it would also turn data errors into warnings), and not ON DUPLICATE KEY UPDATE (with
            // Connector/J's default found-rows count a no-op update and an insert both report 1). In autocommit mode
            // the failed statement leaves nothing behind, and MySQL does not log it.
            super("mysql", table, lockTable, principals, " ON DUPLICATE KEY UPDATE ", "%1$s = VALUES(%1$s)", "");
            this.claimSelect = "SELECT " + boundedColumns + " FROM " + table
                    + " WHERE app = ? AND id = ? AND expires_at <= ? FOR UPDATE";
            this.claimDelete = "DELETE FROM " + table + " WHERE app = ? AND id = ? AND expires_at <= ?";
            this.lockInsert = "INSERT INTO " + lockTable + " (app, id, owner, lease_until) VALUES (?, ?, ?, ?)";
            this.lockTakeOver = "UPDATE " + lockTable + " SET owner = ?, lease_until = ?"
                    + " WHERE app = ? AND id = ? AND (owner = ? OR lease_until <= ?)";
        }

        /**
         * INSERT, and on a duplicate key a conditional UPDATE that takes over a lapsed lease or renews the owner's
         * own; InnoDB re-reads the latest row under its lock, so concurrent takers of one lapsed lease see each
         * other's write and only one matches. If the row disappears between the two statements (released), the
         * answer is {@code false}: this is one attempt, and the caller tries again.
         */
        @Override
        boolean tryLock(Connection c, String app, String key, String owner, long leaseUntil, long now,
                int queryTimeout) throws SQLException {
            try {
                return update(c, queryTimeout, lockInsert, app, key, owner, leaseUntil) == 1;
            } catch (SQLException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            }
            // Matched rows (Connector/J's and MariaDB Connector/J's default): a renewal that changes nothing counts
            return update(c, queryTimeout, lockTakeOver, owner, leaseUntil, app, key, owner, now) == 1;
        }

        /** ER_DUP_ENTRY, or its variant naming the key. */
        @Override
        boolean isDuplicateKey(SQLException e) {
            return e.getErrorCode() == 1062 || e.getErrorCode() == 1586;
        }

        @Override
        Dialect withoutPrincipal() {
            return new MySql(table, lockTable, false);
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
        StoredSession claimExpired(Connection c, String app, String key, long now, ReadBound bound,
                int queryTimeout) throws SQLException {
            c.setAutoCommit(false);
            try {
                StoredSession found = null;
                try (PreparedStatement ps = prepare(c, queryTimeout, claimSelect, bound.limit(), app, key, now);
                        ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found = read(rs, key, bound);
                    }
                }
                if (found != null && update(c, queryTimeout, claimDelete, app, key, now) != 1) {
                    found = null;
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
        private final String lock;

        PostgreSql(String table, String lockTable) {
            this(table, lockTable, true);
        }

        PostgreSql(String table, String lockTable, boolean principals) {
            // Insert-if-absent: no duplicate-key error at all, it would abort a surrounding transaction and log an
            // ERROR on the server
            super("postgresql", table, lockTable, principals, " ON CONFLICT (app, id) DO UPDATE SET ",
                    "%1$s = EXCLUDED.%1$s", " ON CONFLICT (app, id) DO NOTHING");
            // The bound is the last parameter: it stands after the WHERE clause's
            this.claim = "DELETE FROM " + table + " WHERE app = ? AND id = ? AND expires_at <= ? RETURNING "
                    + boundedColumns;
            // One atomic statement: insert, or take over a lapsed lease / renew the owner's own; row count 0 = held
            this.lock = "INSERT INTO " + lockTable + " AS l (app, id, owner, lease_until) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (app, id) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until"
                    + " WHERE l.owner = EXCLUDED.owner OR l.lease_until <= ?";
        }

        @Override
        boolean tryLock(Connection c, String app, String key, String owner, long leaseUntil, long now,
                int queryTimeout) throws SQLException {
            return update(c, queryTimeout, lock, app, key, owner, leaseUntil, now) == 1;
        }

        /** A commit the statement timeout cut short while it waited for the synchronous standby: failed. */
        @Override
        void confirmed(Statement st) throws SQLException {
            SyncStandbyCheck.check(st);
        }

        @Override
        Dialect withoutPrincipal() {
            return new PostgreSql(table, lockTable, false);
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

        // One statement: a concurrent claim waits for the row lock, re-checks the condition and deletes nothing. Not
        // checked by confirmed: the row is gone from the primary either way, and failing the claim would leave its
        // listeners unfired for good, where an unconfirmed claim lost to a failover is at worst claimed again
        @Override
        StoredSession claimExpired(Connection c, String app, String key, long now, ReadBound bound,
                int queryTimeout) throws SQLException {
            try (PreparedStatement ps = prepare(c, queryTimeout, claim, app, key, now, bound.limit());
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs, key, bound) : null;
            }
        }
    }

    static int ceilSeconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
