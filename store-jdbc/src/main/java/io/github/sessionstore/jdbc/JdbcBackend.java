package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * One row per session, keyed by (app, id). Every write is one statement (upsert, update or delete); the expiry claim
 * is atomic across nodes (see {@link Dialect#claimExpired}).
 */
final class JdbcBackend implements SessionBackend {

    @FunctionalInterface
    private interface Call<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final AutoCloseable owned;
    private final Dialect dialect;
    private final String app;
    private final int queryTimeout;
    private final int operationTimeoutMillis;
    private final String description;

    /**
     * @param owned the pool to close with this backend, or {@code null} for a container DataSource
     */
    JdbcBackend(DataSource dataSource, AutoCloseable owned, Dialect dialect, String app, int operationTimeoutMillis,
            String description) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.dialect = dialect;
        this.app = app;
        this.operationTimeoutMillis = operationTimeoutMillis;
        this.queryTimeout = Dialect.ceilSeconds(operationTimeoutMillis);
        this.description = description;
    }

    /** Create the table if asked, then check that it is usable; run once at open. */
    void prepare(boolean createSchema) throws IOException {
        if (createSchema) {
            try {
                createSchema();
            } catch (IOException first) {
                // Two nodes creating the table at once can collide in the catalog (PostgreSQL); the second try sees it
                createSchema();
            }
        }
        call("check table " + dialect.table, c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.stat)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                ps.setString(2, "");
                ps.executeQuery().close();
            }
            return null;
        });
    }

    private void createSchema() throws IOException {
        List<String> ddl = dialect.schema();
        call("create table " + dialect.table, c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(queryTimeout);
                for (String sql : ddl) {
                    st.execute(sql);
                }
            }
            return null;
        });
    }

    @Override
    public StoredSession load(String key) throws IOException {
        return call("load", c -> select(c, dialect.load, key, true));
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        return call("stat", c -> select(c, dialect.stat, key, false));
    }

    private StoredSession select(Connection c, String sql, String key, boolean withData) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(queryTimeout);
            ps.setString(1, app);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Dialect.read(rs, withData) : null;
            }
        }
    }

    @Override
    public void save(String key, StoredSession s) throws IOException {
        callRetrying("save", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.upsert)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                ps.setString(2, key);
                ps.setBytes(3, s.data());
                ps.setLong(4, s.version());
                ps.setLong(5, s.lastAccessed());
                ps.setInt(6, s.maxInactive());
                ps.setLong(7, s.expiresAt());
                ps.executeUpdate();
            }
            return null;
        }, s.data().length);
    }

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        return callRetrying("touch", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.touch)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setLong(1, lastAccessed);
                ps.setLong(2, expiresAt);
                ps.setString(3, app);
                ps.setString(4, key);
                // Connector/J reports matched (not changed) rows by default, so a touch that moves nothing counts too
                return ps.executeUpdate() == 1;
            }
        }, 0);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return call("delete", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.delete)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                ps.setString(2, key);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public StoredSession claimExpired(String key, long now) throws IOException {
        return callRetrying("claim", c -> dialect.claimExpired(c, app, key, now, queryTimeout), 0);
    }

    @Override
    public List<String> expiredKeys(long now, int limit) throws IOException {
        return call("expiredKeys", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.expiredKeys)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                ps.setLong(2, now);
                ps.setInt(3, limit);
                return ids(ps);
            }
        });
    }

    @Override
    public int size() throws IOException {
        return call("size", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.count)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return (int) Math.min(Integer.MAX_VALUE, rs.getLong(1));
                }
            }
        });
    }

    @Override
    public List<String> keys() throws IOException {
        return call("keys", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.keys)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                return ids(ps);
            }
        });
    }

    private static List<String> ids(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public void clear() throws IOException {
        call("clear", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.clear)) {
                ps.setQueryTimeout(queryTimeout);
                ps.setString(1, app);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private <T> T call(String op, Call<T> call) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            return call.run(c);
        } catch (SQLException e) {
            throw failure(op, e, 0);
        }
    }

    /** For writes that InnoDB may pick as a deadlock victim: one retry on a serialization failure. */
    private <T> T callRetrying(String op, Call<T> call, int bytes) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            try {
                return call.run(c);
            } catch (SQLException e) {
                if (!isSerializationFailure(e)) {
                    throw e;
                }
                return call.run(c);
            }
        } catch (SQLException e) {
            throw failure(op, e, bytes);
        }
    }

    private static boolean isSerializationFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01")) || e.getErrorCode() == 1213;
    }

    /** A driver error as an IOException with a message fit for the log (no SQL values, no credentials). */
    private IOException failure(String op, SQLException e, int bytes) {
        if (bytes > 0 && isPacketTooBig(e)) {
            return new IOException("session of " + bytes + " bytes is larger than the database accepts in one packet"
                    + " (MySQL/MariaDB max_allowed_packet); raise max_allowed_packet or lower maxSessionSize", e);
        }
        if (e instanceof SQLTimeoutException) {
            return new IOException(op + " timed out after " + operationTimeoutMillis + " ms on " + description, e);
        }
        return new IOException(op + " failed on " + description + ": " + e.getMessage(), e);
    }

    static boolean isPacketTooBig(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Connector/J checks the size itself (PacketTooBigException); the server answers ER_NET_PACKET_TOO_LARGE
            if (t.getClass().getSimpleName().contains("PacketTooBig")
                    || t instanceof SQLException s && (s.getErrorCode() == 1153 || s.getErrorCode() == 1301)
                    || String.valueOf(t.getMessage()).contains("max_allowed_packet")) {
                return true;
            }
        }
        return false;
    }

    Dialect dialect() {
        return dialect;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws IOException {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IOException("closing the pool failed: " + e.getMessage(), e);
            }
        }
    }
}
