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

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * One row per session, keyed by (app, id). Every write is one statement (upsert, update or delete); the expiry claim
 * is atomic across nodes (see {@link Dialect#claimExpired}). The compare-and-set write is one conditional statement;
 * session locks are leases in their own table, one short statement each (never a row lock held across a request,
 * which would pin a pooled connection for the request's whole duration).
 */
final class JdbcBackend implements SessionBackend.Listing {

    private static final Log log = LogFactory.getLog(JdbcBackend.class);
    private static final StringManager sm = StringManager.getManager(JdbcBackend.class);

    @FunctionalInterface
    private interface Call<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final AutoCloseable owned;
    /** Switched once, in {@link #prepare}, to the SQL without the principal column when the table has none. */
    private Dialect dialect;
    private final String app;
    private final int queryTimeout;
    private final int operationTimeoutMillis;
    private final String description;
    private final ReadBound bound;
    /** Whether the lock table answered (at open or to a lock call); until then the sweep does not purge it. */
    private volatile boolean lockTableSeen;

    /**
     * @param owned          the pool to close with this backend, or {@code null} for a container DataSource
     * @param maxSessionSize the store's: a larger payload is never fetched ({@link ReadBound})
     */
    JdbcBackend(DataSource dataSource, AutoCloseable owned, Dialect dialect, String app, int operationTimeoutMillis,
            int maxSessionSize, String description) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.dialect = dialect;
        this.app = app;
        this.operationTimeoutMillis = operationTimeoutMillis;
        this.queryTimeout = Binding.ceilSeconds(operationTimeoutMillis);
        this.description = description;
        this.bound = new ReadBound(maxSessionSize, description, JdbcBackend.class);
    }

    /** Create the tables if asked, then check them ({@link SchemaSetup}); run once at open. */
    void prepare(boolean createSchema) throws IOException {
        lockTableSeen = SchemaSetup.prepare(this, createSchema);
    }

    Dialect dialect() {
        return dialect;
    }

    void withoutPrincipalColumn() {
        dialect = dialect.withoutPrincipal();
    }

    /** Runs {@code ddl} in order, each bounded by the query timeout. */
    void execute(String op, List<String> ddl) throws IOException {
        call(op, c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(queryTimeout);
                for (String sql : ddl) {
                    st.execute(sql);
                }
            }
            return null;
        });
    }

    /** Runs a select of (app, id) on {@code table}: it fails if the table is missing or not readable. */
    void checkTable(String table, String select) throws IOException {
        call("check table " + table, c -> {
            try (PreparedStatement ps = prepare(c, select, app, "")) {
                ps.executeQuery().close();
            }
            return null;
        });
    }

    @Override
    public StoredSession load(String key) throws IOException {
        return call("load", c -> {
            try (PreparedStatement ps = prepare(c, dialect.sql.load, bound.limit(), app, key);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? dialect.binding.read(rs, key, bound) : null;
            }
        });
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        return call("stat", c -> {
            try (PreparedStatement ps = prepare(c, dialect.sql.stat, app, key); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? dialect.binding.read(rs) : null;
            }
        });
    }

    @Override
    public void save(String key, StoredSession s) throws IOException {
        callRetrying("save", c -> update(c, dialect.sql.upsert, app, key, s), s.data().length);
    }

    @Override
    public boolean saveIfVersion(String key, StoredSession s, long expectedVersion) throws IOException {
        if (expectedVersion == 0) {
            // "Only if absent": an expired record not claimed yet is still there, so a plain insert-if-absent
            return callRetrying("saveIfVersion", c -> dialect.insertIfAbsent(c, app, key, s, queryTimeout),
                    s.data().length);
        }
        // The row lock serializes concurrent writers; each re-checks the version against the latest row (InnoDB's
        // locking read, PostgreSQL's re-evaluation), so one of them matches. Matched rows count, so rewriting
        // identical values still reports 1
        return callRetrying("saveIfVersion",
                c -> update(c, dialect.sql.updateIfVersion, s, app, key, expectedVersion) == 1, s.data().length);
    }

    @Override
    public boolean tryLock(String key, String owner, long leaseMillis) throws IOException {
        return callRetrying("tryLock", c -> {
            // The clock the expiry uses (the core passes System.currentTimeMillis() as "now"): leases and expiry
            // assume the same synchronized node clocks
            long now = System.currentTimeMillis();
            long until = now + leaseMillis;
            boolean locked = dialect.tryLock(c, app, key, owner, until, now, queryTimeout);
            lockTableSeen = true;
            return locked;
        }, 0);
    }

    @Override
    public void unlock(String key, String owner) throws IOException {
        callRetrying("unlock", c -> update(c, dialect.sql.unlock, app, key, owner), 0);
    }

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        // Connector/J reports matched (not changed) rows by default, so a touch that moves nothing counts too
        return callRetrying("touch", c -> update(c, dialect.sql.touch, lastAccessed, expiresAt, app, key) == 1, 0);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return call("delete", c -> update(c, dialect.sql.delete, app, key) > 0);
    }

    @Override
    public StoredSession claimExpired(String key, long now) throws IOException {
        return callRetrying("claim", c -> dialect.claimExpired(c, app, key, now, bound, queryTimeout), 0);
    }

    @Override
    public List<String> expiredKeys(long now, int limit) throws IOException {
        return call("expiredKeys", c -> {
            try (PreparedStatement ps = prepare(c, dialect.sql.expiredKeys, app, now, limit)) {
                return ids(ps);
            }
        });
    }

    /**
     * Drops the lapsed leases of this namespace: a lock row is deleted by its owner's unlock or replaced by the next
     * owner, but a node that dies holding the lock of a session nobody requests again would leave its row for good. A
     * lapsed lease is free anyway, so deleting it changes no answer of {@link #tryLock}. Nothing to do while the lock
     * table is not usable (warned at start).
     */
    @Override
    public void housekeep(long now) throws IOException {
        if (!lockTableSeen) {
            return;
        }
        int purged = call("housekeep", c -> update(c, dialect.sql.purgeLapsedLocks, app, System.currentTimeMillis()));
        if (purged > 0 && log.isDebugEnabled()) {
            log.debug(sm.getString("jdbc.lapsedLocksDropped", Integer.toString(purged), app, dialect.sql.lockTable));
        }
    }

    @Override
    public int size() throws IOException {
        return call("size", c -> {
            try (PreparedStatement ps = prepare(c, dialect.sql.count, app); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return (int) Math.min(Integer.MAX_VALUE, rs.getLong(1));
            }
        });
    }

    @Override
    public List<String> keys() throws IOException {
        return call("keys", c -> {
            try (PreparedStatement ps = prepare(c, dialect.sql.keys, app)) {
                return ids(ps);
            }
        });
    }

    @Override
    public List<String> keysAfter(String after, int limit) throws IOException {
        return call("keysAfter", c -> {
            try (PreparedStatement ps = after == null ? prepare(c, dialect.sql.keysFrom, app, limit)
                    : prepare(c, dialect.sql.keysAfter, app, after, limit)) {
                return ids(ps);
            }
        });
    }

    @Override
    public boolean indexesPrincipals() {
        return dialect.sql.principals;
    }

    @Override
    public List<String> keysOfPrincipal(String principal, int limit) throws IOException {
        if (!dialect.sql.principals) {
            return SessionBackend.Listing.super.keysOfPrincipal(principal, limit);
        }
        return call("keysOfPrincipal", c -> {
            try (PreparedStatement ps = prepare(c, dialect.sql.keysOfPrincipal, app, principal, limit)) {
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
            update(c, dialect.sql.clear, app);
            try {
                update(c, dialect.sql.clearLocks, app);
            } catch (SQLException e) {
                // No lock table (createSchema=false, see prepare): then there are no lock entries to delete either
                if (!dialect.isUndefinedTable(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    private PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        return dialect.binding.prepare(c, queryTimeout, sql, params);
    }

    private int update(Connection c, String sql, Object... params) throws SQLException {
        return dialect.update(c, queryTimeout, sql, params);
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
                if (!dialect.isSerializationFailure(e)) {
                    throw e;
                }
                return call.run(c);
            }
        } catch (SQLException e) {
            throw failure(op, e, bytes);
        }
    }

    /** A driver error as an IOException with a message fit for the log (no SQL values, no credentials). */
    private IOException failure(String op, SQLException e, int bytes) {
        if (bytes > 0 && dialect.isPacketTooBig(e)) {
            return new IOException("session of " + bytes + " bytes is larger than the database accepts in one packet"
                    + " (MySQL/MariaDB max_allowed_packet); raise max_allowed_packet or lower maxSessionSize", e);
        }
        if (e instanceof SQLTimeoutException) {
            return new IOException(op + " timed out after " + operationTimeoutMillis + " ms on " + description, e);
        }
        return new IOException(op + " failed on " + description + ": " + e.getMessage(), e);
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
