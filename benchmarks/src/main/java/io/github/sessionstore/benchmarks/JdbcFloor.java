package io.github.sessionstore.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Floor for the JDBC backends: one plain connection (autocommit, no pool) and hand-written statements on a
 * {@code (id, data, expires_at)} table: an upsert of the same bytes, a select by key, an expiry update.
 */
final class JdbcFloor implements Floor {

    private final Connection c;
    private final PreparedStatement upsert;
    private final PreparedStatement select;
    private final PreparedStatement touch;

    JdbcFloor(String url) throws Exception {
        c = Databases.connect(url);
        try {
            String t = Databases.FLOOR_TABLE;
            upsert = c.prepareStatement(url.startsWith("jdbc:mysql:")
                    ? "INSERT INTO " + t + " (id, data, expires_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
                            + "data = VALUES(data), expires_at = VALUES(expires_at)"
                    : "INSERT INTO " + t + " (id, data, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                            + "data = excluded.data, expires_at = excluded.expires_at");
            select = c.prepareStatement("SELECT data FROM " + t + " WHERE id = ?");
            touch = c.prepareStatement("UPDATE " + t + " SET expires_at = ? WHERE id = ?");
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void write(String key, byte[] bytes, long expiresAt) throws Exception {
        upsert.setString(1, key);
        upsert.setBytes(2, bytes);
        upsert.setLong(3, expiresAt);
        upsert.executeUpdate();
    }

    @Override
    public byte[] read(String key) throws Exception {
        select.setString(1, key);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    @Override
    public void touch(String key, long expiresAt) throws Exception {
        touch.setLong(1, expiresAt);
        touch.setString(2, key);
        touch.executeUpdate();
    }

    @Override
    public void close() throws Exception {
        c.close();
    }
}
