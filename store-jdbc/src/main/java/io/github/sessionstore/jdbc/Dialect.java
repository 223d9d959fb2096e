package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.StoredSession;

/**
 * One database family for one store's tables, built once per store (and once more for a table without the principal
 * column, see {@link #withoutPrincipal}): its {@link Statements} and their {@link Binding}, and what differs between
 * the families, each in its own subclass ({@link MySqlDialect}, {@link PostgreSqlDialect}): the upsert and
 * insert-if-absent clauses, the atomic expiry claim, the lock acquisition, the check that a write's commit was
 * confirmed ({@link #confirmed}), and the error codes the store tells apart.
 */
abstract class Dialect {

    /** {@code mysql} or {@code postgresql}: in the schema scripts' names ({@link SchemaScripts}) and descriptions. */
    final String name;
    final Statements sql;
    final Binding binding;

    Dialect(String name, Statements sql) {
        this.name = name;
        this.sql = sql;
        this.binding = new Binding(sql.principals);
    }

    /** The dialect of a {@code jdbc:} URL. */
    static Dialect forUrl(String url, String table, String lockTable) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
            return new MySqlDialect(table, lockTable, true);
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgreSqlDialect(table, lockTable, true);
        }
        throw new IllegalArgumentException("url must start with jdbc:mysql:, jdbc:mariadb: or jdbc:postgresql:");
    }

    /** The dialect of a DataSource's {@code DatabaseMetaData.getDatabaseProductName()}. */
    static Dialect forProduct(String product, String table, String lockTable) throws IOException {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("mysql") || p.contains("mariadb")) {
            return new MySqlDialect(table, lockTable, true);
        }
        if (p.contains("postgres")) {
            return new PostgreSqlDialect(table, lockTable, true);
        }
        throw new IOException("unsupported database " + product + " (MySQL, MariaDB and PostgreSQL are)");
    }

    /** The same family for a table without the principal column (created before it; see {@link PrincipalColumn}). */
    abstract Dialect withoutPrincipal();

    /**
     * Prepares and executes an INSERT, UPDATE or DELETE: its row count (matched rows, see the callers), once
     * {@link #confirmed} holds.
     */
    final int update(Connection c, int queryTimeout, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = binding.prepare(c, queryTimeout, sql, params)) {
            int rows = ps.executeUpdate();
            confirmed(ps);
            return rows;
        }
    }

    /**
     * Insert the record only if there is none under (app, key), expired or not.
     *
     * @return {@code false} when a record was there; the connection is left usable (no failed transaction)
     */
    final boolean insertIfAbsent(Connection c, String app, String key, StoredSession s, int queryTimeout)
            throws SQLException {
        try {
            return update(c, queryTimeout, sql.insertIfAbsent, app, key, s) == 1;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Throws if the database reported the write just autocommitted on {@code st} as done though it is not as durable
     * as configured.
     */
    abstract void confirmed(Statement st) throws SQLException;

    /**
     * Take or renew the lease of (app, key) for {@code owner} until {@code leaseUntil}: succeeds when there is no
     * lock row, when the row is {@code owner}'s, or when its lease has lapsed at {@code now}.
     */
    abstract boolean tryLock(Connection c, String app, String key, String owner, long leaseUntil, long now,
            int queryTimeout) throws SQLException;

    /**
     * Delete the record if expired at {@code now} and return it (its payload within {@code bound}, as
     * {@link Statements#load} reads it); exactly one caller across nodes gets it.
     */
    abstract StoredSession claimExpired(Connection c, String app, String key, long now, ReadBound bound,
            int queryTimeout) throws SQLException;

    /** Whether an insert failed because its key is taken; never, where the insert-if-absent does not raise it. */
    abstract boolean isDuplicateKey(SQLException e);

    /** Whether a write was rolled back as a deadlock victim or serialization failure: worth one retry. */
    abstract boolean isSerializationFailure(SQLException e);

    /** Whether a statement failed because its table does not exist. */
    abstract boolean isUndefinedTable(SQLException e);

    /** Whether a statement failed because a column it names does not exist. */
    abstract boolean isUndefinedColumn(SQLException e);

    /** Whether {@code e} or one of its causes says a write was larger than one packet may be. */
    abstract boolean isPacketTooBig(Throwable e);
}
