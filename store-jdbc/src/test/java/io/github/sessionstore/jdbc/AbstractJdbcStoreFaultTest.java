package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
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
        JdbcStore store = db().newStore(); // default timeouts: 3 s
        settings.accept(store);
        StoreNode n = new StoreNode(store, "localhost", "/fault");
        nodes.add(n);
        return n;
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
            assertTrue(a.store.getErrors() > 0, "the failure is counted");
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
        assertEquals(1, a.store.getOversizeSessions());
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
        assertFalse(a.backend().expiredKeys(Long.MAX_VALUE - 1, 100).contains(key));
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

    /** Guards createSchema and the table attribute: the table is created under the configured name. */
    @Test
    void schemaIsCreatedUnderTheConfiguredTableName() throws Exception {
        String table = "custom_sessions_t";
        try {
            StoreNode a = node(s -> s.setTable(table));
            assertEquals("WRITTEN", flush(a, session(a, "TABLE01234567890", 1)));
            try (Connection c = db().connect(); ResultSet rs = c.createStatement()
                    .executeQuery("SELECT COUNT(*) FROM " + table + " WHERE id = 'TABLE01234567890'")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        } finally {
            try (Connection c = db().connect()) {
                c.createStatement().execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    /** With createSchema=false and no table, the store starts, reports the backend unavailable and loads nothing. */
    @Test
    void missingTableWithoutCreateSchemaLeavesTheBackendUnavailable() throws Exception {
        StoreNode a = node(s -> {
            s.setTable("no_such_table_x");
            s.setCreateSchema(false);
        });
        assertFalse(a.store.isBackendAvailable());
        assertNull(returns(() -> a.load("MISSING012345678")));
    }
}
