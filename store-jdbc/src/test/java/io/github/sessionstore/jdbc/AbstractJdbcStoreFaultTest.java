package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;

/**
 * Database faults and JDBC-specific protections, run against each dialect by a leaf that supplies the fixture.
 */
abstract class AbstractJdbcStoreFaultTest {

    /** "Returned at all": generous, only catches a call stuck far beyond every configured timeout. */
    static final long STUCK_SECONDS = 30;

    abstract DatabaseFixture db();

    private final List<StoreNode> nodes = new ArrayList<>();
    private final ExecutorService calls = Executors.newCachedThreadPool();

    @AfterEach
    void stopNodes() throws Exception {
        calls.shutdownNow();
        for (StoreNode n : nodes) {
            try {
                n.store.clear();
            } catch (Exception ignore) {
                // the database may be what a test broke
            }
            n.close();
        }
    }

    StoreNode node(Consumer<JdbcStore> settings) throws Exception {
        return node("/fault", settings);
    }

    StoreNode node(String contextPath, Consumer<JdbcStore> settings) throws Exception {
        JdbcStore store = db().newStore(); // default timeouts: 3 s
        settings.accept(store);
        StoreNode n = new StoreNode(store, "localhost", contextPath);
        nodes.add(n);
        return n;
    }

    /** Rows of {@code id} in {@code table}, read directly. */
    int rows(String table, String id) throws SQLException {
        try (Connection c = db().connect();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    void dropTables(String... tables) throws SQLException {
        try (Connection c = db().connect()) {
            for (String t : tables) {
                c.createStatement().execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    /** The call's result; fails the test if it is still running after {@link #STUCK_SECONDS}. */
    <T> T returns(Callable<T> call) throws Exception {
        return calls.submit(call).get(STUCK_SECONDS, TimeUnit.SECONDS);
    }

    static String flush(StoreNode node, StandardSession s) {
        return String.valueOf(node.endRequest(s));
    }

    static StandardSession session(StoreNode node, String id, int value) {
        StandardSession s = node.newSession(600);
        s.setId(id, false);
        s.setAttribute("n", value);
        return s;
    }

    /**
     * Issue: database restarted mid-run. Sessions written before and after survive, and no call hangs while it is
     * down. Guards the pool's connection validation (dead connections are replaced) and the statement/socket
     * timeouts (without them a call on a dead connection could block until TCP gives up).
     */
    @Test
    void sessionsSurviveADatabaseRestartAndNoCallHangsWhileItIsDown() throws Exception {
        Assumptions.assumeTrue(db().canRestart(), "needs a database this test can restart");
        StoreNode a = node(s -> { });
        StoreNode b = node(s -> { });
        StandardSession before = session(a, "BEFORE0123456789", 1);
        assertEquals("WRITTEN", flush(a, before));

        db().crash();
        try {
            assertNull(returns(() -> b.load("BEFORE0123456789")), "a load with the database down is a miss");
            StandardSession during = session(a, "DURING0123456789", 2);
            assertEquals("FAILED", returns(() -> flush(a, during)), "a write with the database down fails");
            assertTrue(a.store.statistics().getErrors() > 0, "the failure is counted");
        } finally {
            db().restart();
        }

        StandardSession after = session(a, "AFTER01234567890", 3);
        // FAILED until the store reconnects; then WRITTEN, or SKIPPED if the core's background retry wrote it first
        String result = "FAILED";
        for (int attempt = 0; attempt < 40 && "FAILED".equals(result); attempt++) {
            result = returns(() -> flush(a, after));
            if ("FAILED".equals(result)) {
                Thread.sleep(500);
            }
        }
        assertTrue(List.of("WRITTEN", "SKIPPED").contains(result), "writes work again once the database is back: "
                + result);
        // A pooled connection that died with the server may fail one more call (a load then reports a miss);
        // ask the backend itself, which throws on errors, so that "lost" and "failed" are told apart
        StoredSession record = null;
        Throwable last = null;
        for (int attempt = 0; attempt < 10 && record == null; attempt++) {
            try {
                record = returns(() -> b.backend().load("BEFORE0123456789"));
                last = null;
                break;
            } catch (ExecutionException e) {
                last = e.getCause();
            }
        }
        assertNull(last, "the database still fails after the restart: " + last);
        assertNotNull(record, "the session written before the restart survived it");
        StandardSession loadedBefore = returns(() -> b.load("BEFORE0123456789"));
        assertNotNull(loadedBefore, "the session written before the restart survived it");
        assertEquals(1, loadedBefore.getAttribute("n"));
        assertEquals(3, returns(() -> b.load("AFTER01234567890")).getAttribute("n"));
    }

    /** Guards maxSessionSize: an oversize session is refused and counted, not thrown at the request. */
    @Test
    void oversizeSessionFailsTheFlushAndIsCounted() throws Exception {
        StoreNode a = node(s -> s.setMaxSessionSize(64 * 1024));
        StandardSession s = session(a, "OVERSIZE01234567", 1);
        s.setAttribute("big", new byte[200 * 1024]);
        assertEquals("FAILED", flush(a, s));
        assertEquals(1, a.store.statistics().getOversizeSessions());
        assertNull(a.backend().load("OVERSIZE01234567"), "nothing was written");
    }

    /** Guards the binary collation (MySQL's default one is case-insensitive): ids differing in case never alias. */
    @Test
    void idsDifferingOnlyInCaseAreDistinctSessions() throws Exception {
        StoreNode a = node(s -> { });
        assertEquals("WRITTEN", flush(a, session(a, "CASEID0123456789", 1)));
        assertEquals("WRITTEN", flush(a, session(a, "caseid0123456789", 2)));
        assertEquals(1, a.load("CASEID0123456789").getAttribute("n"));
        assertEquals(2, a.load("caseid0123456789").getAttribute("n"));
    }

    /** Guards StoredSession.NEVER in the BIGINT column: a non-expiring session is stored as such and never swept. */
    @Test
    void neverExpiringSessionIsStoredAsNeverAndNotSwept() throws Exception {
        StoreNode a = node(s -> { });
        StandardSession s = session(a, "FOREVER012345678", 1);
        s.setMaxInactiveInterval(-1);
        assertEquals("WRITTEN", flush(a, s));
        String key = "FOREVER012345678"; // an id without a jvmRoute is its own storage key
        assertEquals(StoredSession.NEVER, a.backend().stat(key).expiresAt());
        assertFalse(a.listing().expiredKeys(Long.MAX_VALUE - 1, 100).contains(key));
        assertNull(a.backend().claimExpired(key, Long.MAX_VALUE - 1));
        assertNotNull(a.load("FOREVER012345678"));
    }

    /** Guards the claim's expiry condition: a touched (live again) record is not claimed. */
    @Test
    void claimLeavesALiveRecordAndTakesAnExpiredOneOnce() throws Exception {
        StoreNode a = node(s -> { });
        String key = "CLAIM01234567890";
        long now = System.currentTimeMillis();
        a.backend().save(key, new StoredSession(new byte[] { 1, 2, 3 }, 7, now - 10_000, 5, now - 5_000));
        assertTrue(a.backend().touch(key, now, now + 5_000));
        assertNull(a.backend().claimExpired(key, now), "touched: not expired any more");
        a.backend().save(key, new StoredSession(new byte[] { 1, 2, 3 }, 7, now - 10_000, 5, now - 1));
        StoredSession claimed = a.backend().claimExpired(key, now);
        assertNotNull(claimed);
        assertEquals(7, claimed.version());
        assertEquals(3, claimed.data().length);
        assertNull(a.backend().claimExpired(key, now), "claimed once only");
        assertFalse(a.backend().touch(key, now, now + 5_000), "a touch never recreates a record");
    }

    /**
     * Guards the monotonic touch: an idle copy on node A, flushed before eviction, touches with its old access time;
     * that must not shorten the expiry node B extended, or the live session expires under B
     * (AbstractTwoNodeIT.staleLocalCopyNeverExpiresALiveSession failed intermittently without it).
     */
    @Test
    void staleTouchNeverShortensTheStoredExpiry() throws Exception {
        StoreNode a = node(s -> { });
        String key = "STALETOUCH012345";
        long now = System.currentTimeMillis();
        a.backend().save(key, new StoredSession(new byte[] { 1 }, 1, now, 3, now + 3_000));
        assertTrue(a.backend().touch(key, now + 2_000, now + 5_000), "node B keeps it alive");
        assertTrue(a.backend().touch(key, now, now + 3_000), "node A's stale copy touches: the record is there");
        StoredSession stored = a.backend().stat(key);
        assertEquals(now + 5_000, stored.expiresAt(), "the later expiry wins");
        assertEquals(now + 2_000, stored.lastAccessed());
        assertNull(a.backend().claimExpired(key, now + 4_000), "not expired at B's expiry minus one second");
    }

    /**
     * Guards createSchema and the table attribute: the table is created under the configured name, and the lock
     * table under the name derived from it.
     */
    @Test
    void schemaIsCreatedUnderTheConfiguredTableName() throws Exception {
        String table = "custom_sessions_t";
        try {
            StoreNode a = node(s -> s.setTable(table));
            assertEquals(table + "_locks", ((JdbcStore) a.store).getLockTable());
            assertEquals("WRITTEN", flush(a, session(a, "TABLE01234567890", 1)));
            assertEquals(1, rows(table, "TABLE01234567890"));
            assertTrue(a.backend().tryLock("TABLE01234567890", "owner-a", 30_000));
            assertEquals(1, rows(table + "_locks", "TABLE01234567890"));
        } finally {
            dropTables(table, table + "_locks");
        }
    }

    /**
     * Guards the lockTable attribute and clear(): locks live in the configured table, apart from the sessions, and
     * clear() removes its own namespace's locks only.
     */
    @Test
    void locksLiveInTheConfiguredLockTableAndClearRemovesOnlyThisNamespacesLocks() throws Exception {
        String lockTable = "custom_locks_t";
        try {
            StoreNode a = node(s -> s.setLockTable(lockTable));
            StoreNode other = node("/fault-other", s -> s.setLockTable(lockTable));
            assertTrue(a.backend().tryLock("CLEARLOCK0123456", "owner-a", 30_000));
            assertTrue(other.backend().tryLock("CLEARLOCK0123456", "owner-o", 30_000), "another namespace's lock");
            assertEquals(2, rows(lockTable, "CLEARLOCK0123456"));
            assertEquals(0, rows(((JdbcStore) a.store).getTable(), "CLEARLOCK0123456"), "a lock is not a session");

            a.backend().clear();
            assertEquals(1, rows(lockTable, "CLEARLOCK0123456"), "only this namespace's lock went");
            assertTrue(a.backend().tryLock("CLEARLOCK0123456", "owner-a2", 30_000), "cleared: free again");
            assertFalse(other.backend().tryLock("CLEARLOCK0123456", "owner-o2", 30_000), "still held there");
        } finally {
            dropTables(lockTable);
        }
    }

    /** Guards the lock purge, the housekeeping after a sweep: a lapsed lease (a dead node's) is dropped, a live one kept. */
    @Test
    void sweepDropsLapsedLocksAndKeepsLiveOnes() throws Exception {
        StoreNode a = node(s -> { });
        String lockTable = ((JdbcStore) a.store).getLockTable();
        assertTrue(a.backend().tryLock("LAPSED0123456789", "dead-node", 1));
        assertTrue(a.backend().tryLock("LIVE012345678901", "live-node", 60_000));
        long lapsedAt = System.currentTimeMillis() + 1;
        for (int i = 0; i < 100 && System.currentTimeMillis() <= lapsedAt; i++) {
            Thread.sleep(10);
        }
        a.store.processExpires();
        assertEquals(0, rows(lockTable, "LAPSED0123456789"), "the lapsed lease was dropped");
        assertEquals(1, rows(lockTable, "LIVE012345678901"), "the live lease stays");
        assertFalse(a.backend().tryLock("LIVE012345678901", "another", 60_000));
    }

    /**
     * A lost compare-and-set or lock attempt (a duplicate key underneath) leaves the pooled connection usable: with
     * a pool of one, every later call runs on that same connection.
     */
    @Test
    void lostCompareAndSetAndLockAttemptsLeaveThePooledConnectionUsable() throws Exception {
        StoreNode a = node(s -> s.setMaximumPoolSize(1));
        String key = "POOLCLEAN0123456";
        long now = System.currentTimeMillis();
        StoredSession v1 = new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000);
        StoredSession v2 = new StoredSession(new byte[] { 2 }, 2, now, 600, now + 600_000);
        assertTrue(a.backend().saveIfVersion(key, v1, 0));
        assertTrue(a.backend().tryLock(key, "owner-a", 30_000));
        for (int i = 0; i < 3; i++) {
            assertFalse(a.backend().saveIfVersion(key, v2, 0), "a record is there");
            assertFalse(a.backend().tryLock(key, "owner-b", 30_000), "the lock is held");
        }
        assertEquals(1, a.backend().load(key).version());
        assertTrue(a.backend().saveIfVersion(key, v2, 1));
        assertEquals(2, a.backend().stat(key).version());
        a.backend().unlock(key, "owner-a");
        assertTrue(a.backend().tryLock(key, "owner-b", 30_000));
        a.backend().unlock(key, "owner-b");
    }

    /**
     * With createSchema=false and no lock table (an installation upgraded without running the new DDL), sessions
     * keep working; only the locks fail, naming the missing table.
     */
    @Test
    void missingLockTableWithoutCreateSchemaFailsOnlyTheLocks() throws Exception {
        String table = "nolock_sessions_t";
        String lockTable = "nolock_locks_t";
        try {
            node(s -> {
                s.setTable(table);
                s.setLockTable(lockTable);
            });
            dropTables(lockTable);
            StoreNode a = node(s -> {
                s.setTable(table);
                s.setLockTable(lockTable);
                s.setCreateSchema(false);
            });
            assertTrue(a.store.statistics().isBackendAvailable());
            assertEquals("WRITTEN", flush(a, session(a, "NOLOCK0123456789", 1)));
            assertEquals(1, a.load("NOLOCK0123456789").getAttribute("n"));
            assertTrue(a.listing().expiredKeys(System.currentTimeMillis(), 10).isEmpty());
            IOException e = assertThrows(IOException.class, () -> a.backend().tryLock("NOLOCK0123456789", "o", 1000));
            assertTrue(e.getMessage().contains(lockTable), e.getMessage());
            a.backend().clear();
            assertEquals(0, rows(table, "NOLOCK0123456789"), "clear works without a lock table");
        } finally {
            dropTables(table, lockTable);
        }
    }

    /** With createSchema=false and no table, the store starts, reports the backend unavailable and loads nothing. */
    @Test
    void missingTableWithoutCreateSchemaLeavesTheBackendUnavailable() throws Exception {
        StoreNode a = node(s -> {
            s.setTable("no_such_table_x");
            s.setCreateSchema(false);
        });
        assertFalse(a.store.statistics().isBackendAvailable());
        assertNull(returns(() -> a.load("MISSING012345678")));
    }
}
