package io.github.sessionstore.jdbc;

import java.util.List;

/**
 * The SQL text of each operation on one store's session and lock tables, built once per store. Portable but for the
 * upsert and the insert-if-absent, whose clauses the {@link Dialect} gives; the statements that differ as a whole
 * (the expiry claim, the lock acquisition) are in the dialects themselves.
 */
final class Statements {

    static final String COLUMNS = "data, version, last_access, max_inactive, expires_at";
    /** The record's columns with the principal index's column (a table created before it has none). */
    static final String COLUMNS_WITH_PRINCIPAL = COLUMNS + ", principal";

    final String table;
    final String lockTable;
    /** Whether the table has the principal column: the record statements then write and read it. */
    final boolean principals;
    /** The record's columns, in {@link Binding}'s order. */
    final String columns;
    /**
     * {@link #columns} with the payload bounded (the first parameter): the payload only when it is within the read
     * bound, and its length in any case; see {@link Binding#read(java.sql.ResultSet, String,
     * io.github.sessionstore.core.ReadBound)}.
     */
    final String boundedColumns;
    final String keysOfPrincipal;
    final String keysFrom;
    final String keysAfter;
    /** The record, {@link #boundedColumns}: an oversized payload never leaves the database, in one round trip. */
    final String load;
    final String stat;
    final String upsert;
    /** Inserts a record unless there is one under (app, id): see {@link Dialect#insertIfAbsent}. */
    final String insertIfAbsent;
    final String touch;
    final String delete;
    final String expiredKeys;
    final String count;
    final String keys;
    final String clear;
    /** Compare-and-set over an existing record: matches (row count 1) only while it holds the expected version. */
    final String updateIfVersion;
    /** Fails with an undefined-column error on a table without the principal column: see {@link PrincipalColumn}. */
    final String principalCheck;
    final String lockCheck;
    final String unlock;
    final String clearLocks;
    final String purgeLapsedLocks;

    /**
     * @param upsertPrefix what turns the record insert into an upsert, followed by one {@code assignment} per column
     * @param assignment   the upsert's update of one column, {@code %1$s} standing for the column
     * @param insertClause what the insert-if-absent appends to the record insert ({@code ""}: a plain insert, whose
     *            duplicate-key error {@link Dialect#isDuplicateKey} recognizes)
     */
    Statements(String table, String lockTable, boolean principals, String upsertPrefix, String assignment,
            String insertClause) {
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
        this.insertIfAbsent = insertRecord + insertClause;
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
        this.principalCheck = "SELECT principal FROM " + table + " WHERE app = ? AND id = ?";
        this.lockCheck = "SELECT owner, lease_until FROM " + lockTable + " WHERE app = ? AND id = ?";
        // Only the owner's row; its own lapsed row too (a lapsed lease is free anyway, so this only tidies up)
        this.unlock = "DELETE FROM " + lockTable + " WHERE app = ? AND id = ? AND owner = ?";
        this.clearLocks = "DELETE FROM " + lockTable + " WHERE app = ?";
        this.purgeLapsedLocks = "DELETE FROM " + lockTable + " WHERE app = ? AND lease_until <= ?";
    }
}
