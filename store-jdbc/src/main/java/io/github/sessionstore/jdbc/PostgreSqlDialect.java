package io.github.sessionstore.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.StoredSession;

/** PostgreSQL 9.5+. */
final class PostgreSqlDialect extends Dialect {

    private final String claim;
    private final String lock;

    PostgreSqlDialect(String table, String lockTable, boolean principals) {
        // Insert-if-absent: no duplicate-key error at all, it would abort a surrounding transaction and log an ERROR
        // on the server
        super("postgresql", new Statements(table, lockTable, principals, " ON CONFLICT (app, id) DO UPDATE SET ",
                "%1$s = EXCLUDED.%1$s", " ON CONFLICT (app, id) DO NOTHING"));
        // The bound is the last parameter: it stands after the WHERE clause's
        this.claim = "DELETE FROM " + table + " WHERE app = ? AND id = ? AND expires_at <= ? RETURNING "
                + sql.boundedColumns;
        // One atomic statement: insert, or take over a lapsed lease / renew the owner's own; row count 0 = held
        this.lock = "INSERT INTO " + lockTable + " AS l (app, id, owner, lease_until) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (app, id) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until"
                + " WHERE l.owner = EXCLUDED.owner OR l.lease_until <= ?";
    }

    @Override
    Dialect withoutPrincipal() {
        return new PostgreSqlDialect(sql.table, sql.lockTable, false);
    }

    /** A commit the statement timeout cut short while it waited for the synchronous standby: failed. */
    @Override
    void confirmed(Statement st) throws SQLException {
        SyncStandbyCheck.check(st);
    }

    @Override
    boolean tryLock(Connection c, String app, String key, String owner, long leaseUntil, long now, int queryTimeout)
            throws SQLException {
        return update(c, queryTimeout, lock, app, key, owner, leaseUntil, now) == 1;
    }

    // One statement: a concurrent claim waits for the row lock, re-checks the condition and deletes nothing. Not
    // checked by confirmed: the row is gone from the primary either way, and failing the claim would leave its
    // listeners unfired for good, where an unconfirmed claim lost to a failover is at worst claimed again
    @Override
    StoredSession claimExpired(Connection c, String app, String key, long now, ReadBound bound, int queryTimeout)
            throws SQLException {
        try (PreparedStatement ps = binding.prepare(c, queryTimeout, claim, app, key, now, bound.limit());
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? binding.read(rs, key, bound) : null;
        }
    }

    /** Never: the insert-if-absent is ON CONFLICT DO NOTHING, and the lock is one upsert. */
    @Override
    boolean isDuplicateKey(SQLException e) {
        return false;
    }

    /** serialization_failure (40001) or deadlock_detected (40P01). */
    @Override
    boolean isSerializationFailure(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** undefined_table. */
    @Override
    boolean isUndefinedTable(SQLException e) {
        return "42P01".equals(e.getSQLState());
    }

    /** undefined_column. */
    @Override
    boolean isUndefinedColumn(SQLException e) {
        return "42703".equals(e.getSQLState());
    }

    /** Never: the limit it recognizes is MySQL's max_allowed_packet, which PostgreSQL does not have. */
    @Override
    boolean isPacketTooBig(Throwable e) {
        return false;
    }
}
