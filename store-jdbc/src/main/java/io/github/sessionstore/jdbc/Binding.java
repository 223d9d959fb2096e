package io.github.sessionstore.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.StoredSession;

/**
 * A session record in JDBC terms, for the {@link Statements} of one table: every prepared statement of the store is
 * prepared here with its parameters bound, and every record or metadata row read back here, in the order of
 * {@link Statements#columns}.
 */
final class Binding {

    /** Whether the record's columns end with the principal column (see {@link Statements#principals}). */
    private final boolean principals;

    Binding(boolean principals) {
        this.principals = principals;
    }

    /** JDBC's query timeout is whole seconds: {@code millis} rounded up, at least 1 (0 would mean none). */
    static int ceilSeconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * Prepares {@code sql} bounded by {@code queryTimeout} (seconds), with its parameters bound in order. A String,
     * Long or Integer is one parameter; a {@link StoredSession} is the record's columns, bound by {@link #bindRecord}
     * wherever a record is written.
     */
    PreparedStatement prepare(Connection c, int queryTimeout, String sql, Object... params) throws SQLException {
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

    /** Binds the record's columns from parameter {@code first} on; returns the next parameter's index. */
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

    /** A row of {@link Statements#stat}: the metadata without the payload. */
    StoredSession read(ResultSet rs) throws SQLException {
        return metadata(rs, 1, null);
    }

    /**
     * A row of {@link Statements#boundedColumns}: the record, or, when its payload was above {@code bound} and so not
     * sent, {@link ReadBound#refused its metadata with an empty payload}.
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
}
