package io.github.sessionstore.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.StoredSession;

/** MySQL 8+ and MariaDB. */
final class MySqlDialect extends Dialect {

    private final String claimSelect;
    private final String claimDelete;
    private final String lockInsert;
    private final String lockTakeOver;

    MySqlDialect(String table, String lockTable, boolean principals) {
        // Insert-if-absent: a plain INSERT, and the duplicate-key error is the answer "there is a record". Not
        // INSERT IGNORE (it would also turn data errors into warnings), and not ON DUPLICATE KEY UPDATE (with
        // Connector/J's default found-rows count a no-op update and an insert both report 1). In autocommit mode
        // the failed statement leaves nothing behind, and MySQL does not log it.
        super("mysql", new Statements(table, lockTable, principals, " ON DUPLICATE KEY UPDATE ",
                "%1$s = VALUES(%1$s)", ""));
        this.claimSelect = "SELECT " + sql.boundedColumns + " FROM " + table
                + " WHERE app = ? AND id = ? AND expires_at <= ? FOR UPDATE";
        this.claimDelete = "DELETE FROM " + table + " WHERE app = ? AND id = ? AND expires_at <= ?";
        this.lockInsert = "INSERT INTO " + lockTable + " (app, id, owner, lease_until) VALUES (?, ?, ?, ?)";
        this.lockTakeOver = "UPDATE " + lockTable + " SET owner = ?, lease_until = ?"
                + " WHERE app = ? AND id = ? AND (owner = ? OR lease_until <= ?)";
    }

    @Override
    Dialect withoutPrincipal() {
        return new MySqlDialect(sql.table, sql.lockTable, false);
    }

    /**
     * A no-op: Connector/J reports a write its query timeout cancelled as a timeout, also one the primary committed
     * while it waited for the semi-sync acknowledgement.
     */
    @Override
    void confirmed(Statement st) {
    }

    /**
     * INSERT, and on a duplicate key a conditional UPDATE that takes over a lapsed lease or renews the owner's own;
     * InnoDB re-reads the latest row under its lock, so concurrent takers of one lapsed lease see each other's write
     * and only one matches. If the row disappears between the two statements (released), the answer is
     * {@code false}: this is one attempt, and the caller tries again.
     */
    @Override
    boolean tryLock(Connection c, String app, String key, String owner, long leaseUntil, long now, int queryTimeout)
            throws SQLException {
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

    // No DELETE ... RETURNING in MySQL: lock the expired row, delete it, and keep it only if the delete counted
    @Override
    StoredSession claimExpired(Connection c, String app, String key, long now, ReadBound bound, int queryTimeout)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            StoredSession found = null;
            try (PreparedStatement ps = binding.prepare(c, queryTimeout, claimSelect, bound.limit(), app, key, now);
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    found = binding.read(rs, key, bound);
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

    /** ER_DUP_ENTRY, or its variant naming the key. */
    @Override
    boolean isDuplicateKey(SQLException e) {
        return e.getErrorCode() == 1062 || e.getErrorCode() == 1586;
    }

    /** SQLSTATE 40001, or ER_LOCK_DEADLOCK (1213): InnoDB picked the write as a deadlock victim. */
    @Override
    boolean isSerializationFailure(SQLException e) {
        return "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213;
    }

    /** ER_NO_SUCH_TABLE (SQLSTATE 42S02). */
    @Override
    boolean isUndefinedTable(SQLException e) {
        return "42S02".equals(e.getSQLState()) || e.getErrorCode() == 1146;
    }

    /** ER_BAD_FIELD_ERROR (SQLSTATE 42S22). */
    @Override
    boolean isUndefinedColumn(SQLException e) {
        return e.getErrorCode() == 1054 || "42S22".equals(e.getSQLState());
    }

    /**
     * Larger than max_allowed_packet: Connector/J checks the size itself (PacketTooBigException); the server answers
     * ER_NET_PACKET_TOO_LARGE (1153) or error 1301; else a message that names max_allowed_packet.
     */
    @Override
    boolean isPacketTooBig(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("PacketTooBig")
                    || t instanceof SQLException s && (s.getErrorCode() == 1153 || s.getErrorCode() == 1301)
                    || String.valueOf(t.getMessage()).contains("max_allowed_packet")) {
                return true;
            }
        }
        return false;
    }
}
