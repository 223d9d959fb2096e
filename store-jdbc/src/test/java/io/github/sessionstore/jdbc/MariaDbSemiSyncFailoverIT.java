package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;

/**
 * The database itself highly available: two local {@code mariadbd}, a primary and a semi-synchronous replica of it,
 * and every node's store on a Connector/J multi-host URL that lists the primary, then the replica. Under the outage
 * harness's load the primary is SIGKILLed ({@link #breakStore()}); a few seconds later, as an operator or an
 * orchestrator would, the test promotes the replica ({@link #repairStore()}): stop its replication threads once it
 * has applied everything it received, forget the primary, and let the store's user write ({@code read_only=OFF}).
 * <p>
 * What it shows, with the harness's checks: every request is answered 200 through the kill and the promotion (the
 * nodes keep the sessions in memory and retry the writes that failed, on the dead primary and on the still read-only
 * replica); the nodes' pools reconnect to the replica by themselves (the URL's second host); and a fresh node, which
 * can only reach the promoted replica, reads every session with exactly the last counter its client was answered,
 * before and after the kill: no acknowledged change was lost.
 * <p>
 * Semi-sync is what makes "acknowledged" mean "on the replica too": the primary answers a commit only once the
 * replica has the transaction in its relay log ({@code AFTER_SYNC}), so the store never counts a write as done that
 * only the dead primary had. {@link #breakStore()} checks, just before the kill, that semi-sync was on all along (no
 * commit fell back to asynchronous replication). It is switched on at run time, once the replica is attached: with
 * {@code rpl_semi_sync_master_enabled=ON} on the command line, the server's own init-file statements wait the whole
 * {@code rpl_semi_sync_master_timeout} for a replica that is not there yet, and then semi-sync switches itself off.
 * <p>
 * The store's user has data privileges on the session database only, so {@code read_only} applies to it (an
 * {@code ALL PRIVILEGES} user holds {@code READ_ONLY ADMIN} and could write to the replica before its promotion).
 */
class MariaDbSemiSyncFailoverIT extends AbstractOutageUnderLoadIT {

    private static final String STORE_USER = "store";
    private static final String STORE_PASSWORD = "st0re p@ss";
    private static final String REPL_USER = "repl";
    private static final String REPL_PASSWORD = "r3pl p@ss";
    /** The primary waits this long for the replica's acknowledgement: it never falls back to async in the test. */
    private static final int SEMI_SYNC_TIMEOUT_MILLIS = 600_000;
    private static final String YES_TX = "Rpl_semi_sync_master_yes_tx";
    private static final String NO_TX = "Rpl_semi_sync_master_no_tx";
    /** Replication set-up and promotion steps wait at most this long each. */
    private static final long STEP_LIMIT_MILLIS = 30_000;

    private static final String USERS = "CREATE USER IF NOT EXISTS '" + STORE_USER + "'@'%' IDENTIFIED BY '"
            + STORE_PASSWORD + "';\n"
            + "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, INDEX ON sessionstore.* TO '" + STORE_USER + "'@'%';\n"
            + "CREATE USER IF NOT EXISTS '" + REPL_USER + "'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "';\n"
            + "GRANT REPLICATION SLAVE ON *.* TO '" + REPL_USER + "'@'%';\n";

    @RegisterExtension
    static final MariaDbFixture primary = MariaDbFixture.local("mariadb-primary", USERS,
            "--server-id=1", "--log-bin=binlog", "--binlog-format=ROW",
            "--rpl-semi-sync-master-timeout=" + SEMI_SYNC_TIMEOUT_MILLIS,
            "--rpl-semi-sync-master-wait-point=AFTER_SYNC");

    @RegisterExtension
    static final MariaDbFixture replica = MariaDbFixture.local("mariadb-replica", USERS,
            "--server-id=2", "--log-bin=binlog", "--relay-log=relay", "--binlog-format=ROW",
            "--rpl-semi-sync-slave-enabled=ON", "--read-only=ON");

    /**
     * Connector/J's failover mode: new connections try the primary first, then the replica. failOverReadOnly=false,
     * or a connection on the replica is read-only and every write fails for good; no fall-back to the (dead) primary
     * for connections on the replica; one round over the hosts when none answers, not 120.
     */
    static String url() {
        return "jdbc:mysql://127.0.0.1:" + primary.server.port() + ",127.0.0.1:" + replica.server.port()
                + "/sessionstore?failOverReadOnly=false&secondsBeforeRetrySource=0&queriesBeforeRetrySource=0"
                + "&retriesAllDown=1";
    }

    private static Map<String, Long> semiSyncAtStart;

    private final FailoverRecorder recorder = new FailoverRecorder();
    private Map<String, Long> semiSyncAtKill;
    private String appliedAtPromotion;
    private volatile long killedAt;
    private volatile long promotedAt;
    private long promotionMillis;
    private boolean promoted;

    /** Attaches the replica at the primary's current GTID, turns semi-sync on and checks one write goes through it. */
    @BeforeAll
    static void replicate() throws Exception {
        String gtid;
        try (Connection p = primary.connect(); Statement st = p.createStatement()) {
            gtid = string(st, "SELECT @@GLOBAL.gtid_binlog_pos");
            st.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON");
        }
        try (Connection r = replica.connect(); Statement st = r.createStatement()) {
            st.execute("SET GLOBAL gtid_slave_pos = '" + gtid + "'");
            st.execute("CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + primary.server.port()
                    + ", MASTER_USER = '" + REPL_USER + "', MASTER_PASSWORD = '" + REPL_PASSWORD + "',"
                    + " MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1");
            st.execute("START SLAVE");
        }
        assertTrue(poll(() -> {
            Map<String, Long> s = semiSync();
            return s.get("Rpl_semi_sync_master_clients") == 1 && s.get("Rpl_semi_sync_master_status") == 1;
        }), () -> "the replica attached as semi-sync: " + semiSync() + " "
                + slaveStatus("Slave_IO_State", "Last_IO_Error", "Last_SQL_Error"));
        Map<String, Long> before = semiSync();
        try (Connection p = primary.connect(); Statement st = p.createStatement()) {
            st.execute("CREATE DATABASE ha_probe");
            st.execute("CREATE TABLE ha_probe.t (id INT PRIMARY KEY) ENGINE=InnoDB");
            st.execute("INSERT INTO ha_probe.t VALUES (1)");
        }
        assertTrue(poll(() -> count(replica, "SELECT COUNT(*) FROM ha_probe.t") == 1), "the probe row replicated");
        Map<String, Long> after = semiSync();
        assertEquals(before.get(NO_TX), after.get(NO_TX),
                "no transaction committed without the replica's acknowledgement");
        assertTrue(after.get(YES_TX) > before.get(YES_TX), "the probe commits were acknowledged by the replica: "
                + after);
        semiSyncAtStart = after;
    }

    @Override
    protected AbstractSessionStore newStore() {
        JdbcStore store = new FailoverRecorder.RecordingStore(recorder);
        store.setUrl(url());
        store.setUsername(STORE_USER);
        store.setPassword(STORE_PASSWORD);
        // Waiting for a pooled connection is bounded like every other backend call
        store.setConnectionTimeout(OPERATION_TIMEOUT_MILLIS);
        return store;
    }

    /** Checks that every commit so far was semi-synchronous, then SIGKILLs the primary. */
    @Override
    protected void breakStore() throws Exception {
        Map<String, Long> s = semiSync();
        semiSyncAtKill = s;
        assertEquals(1L, (long) s.get("Rpl_semi_sync_master_status"), "semi-sync still on at the kill: " + s);
        assertEquals(1L, (long) s.get("Rpl_semi_sync_master_clients"), "the replica still attached: " + s);
        assertEquals(semiSyncAtStart.get(NO_TX), s.get(NO_TX), "no commit fell back to asynchronous replication");
        assertTrue(s.get(YES_TX) > semiSyncAtStart.get(YES_TX), "the stores' writes were acknowledged: " + s);
        primary.crash();
        // Stamped once the process is gone: a write that started before is not one "after the kill"
        killedAt = System.nanoTime();
        recorder.killedAt = killedAt;
        assertTrue(!primary.server.isAlive(), "the primary is dead");
    }

    /**
     * Promotes the replica (MariaDB 10.11): stop the I/O thread, wait until the SQL thread has applied every
     * transaction the replica received (all the acknowledged ones are among them), drop the replication
     * configuration, and turn {@code read_only} off.
     */
    @Override
    protected void repairStore() throws Exception {
        if (promoted) {
            return;
        }
        long t0 = System.nanoTime();
        try (Connection r = replica.connect(); Statement st = r.createStatement()) {
            st.execute("STOP SLAVE IO_THREAD");
            String received = slaveStatus("Gtid_IO_Pos").get("Gtid_IO_Pos");
            try (PreparedStatement wait = r.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
                wait.setString(1, received);
                wait.setInt(2, (int) TimeUnit.MILLISECONDS.toSeconds(STEP_LIMIT_MILLIS));
                try (ResultSet rs = wait.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "the replica applied what it received, up to " + received);
                }
            }
            st.execute("STOP SLAVE");
            st.execute("RESET SLAVE ALL");
            st.execute("SET GLOBAL read_only = OFF");
            appliedAtPromotion = string(st, "SELECT @@GLOBAL.gtid_slave_pos");
        }
        promoted = true;
        promotedAt = System.nanoTime();
        recorder.promotedAt = promotedAt;
        promotionMillis = TimeUnit.NANOSECONDS.toMillis(promotedAt - t0);
    }

    @AfterEach
    void printFigures() throws Exception {
        long firstWrite = recorder.firstWriteAfterKill.get();
        String rows = "?";
        try {
            rows = Long.toString(count(replica, "SELECT COUNT(*) FROM sessionstore." + SchemaScripts.DEFAULT_TABLE));
        } catch (RuntimeException e) {
            rows = e.toString();
        }
        String figures = String.format("[sessionstore-tests] semi-sync failover, %s: semi-sync at the kill %s; "
                + "primary SIGKILLed, replica promoted %d ms later (promotion %d ms, applied up to GTID %s); "
                + "writes unavailable %s ms (kill to the first write acknowledged by the promoted replica), of which "
                + "%s ms after the promotion; backend calls failed after the kill %d (%d writes), background "
                + "retries that wrote %d; session rows on the promoted replica %s", version(), semiSyncAtKill,
                killedAt == 0 || promotedAt == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(promotedAt - killedAt),
                promotionMillis, appliedAtPromotion,
                firstWrite < 0 || killedAt == 0 ? "?" : TimeUnit.NANOSECONDS.toMillis(firstWrite - killedAt),
                firstWrite < 0 || promotedAt == 0 ? "?" : TimeUnit.NANOSECONDS.toMillis(firstWrite - promotedAt),
                recorder.failedCalls.get(), recorder.failedWrites.get(), recorder.retriedWrites.get(), rows);
        System.out.println(figures);
        System.err.println(figures);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The primary's semi-sync status counters (status and ON/OFF values as 1/0). */
    static Map<String, Long> semiSync() {
        Map<String, Long> out = new HashMap<>();
        try (Connection p = primary.connect(); Statement st = p.createStatement();
                ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN"
                        + " ('Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_clients', '" + YES_TX + "', '"
                        + NO_TX + "')")) {
            while (rs.next()) {
                String v = rs.getString(2);
                out.put(rs.getString(1),
                        "ON".equalsIgnoreCase(v) ? 1L : "OFF".equalsIgnoreCase(v) ? 0L : Long.parseLong(v));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("semi-sync status of the primary: " + e.getMessage(), e);
        }
        return out;
    }

    /** Columns of the replica's SHOW SLAVE STATUS (empty when it has no replication configured). */
    static Map<String, String> slaveStatus(String... columns) {
        Map<String, String> out = new HashMap<>();
        try (Connection r = replica.connect(); Statement st = r.createStatement();
                ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            if (rs.next()) {
                for (String c : columns) {
                    out.put(c, rs.getString(c));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("slave status of the replica: " + e.getMessage(), e);
        }
        return out;
    }

    static long count(DatabaseFixture db, String sql) {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static String string(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String version() {
        try (Connection r = replica.connect(); Statement st = r.createStatement()) {
            return string(st, "SELECT version()");
        } catch (SQLException e) {
            return "MariaDB (" + e.getMessage() + ")";
        }
    }

    /** Polls every 50 ms, at most {@link #STEP_LIMIT_MILLIS}; a condition that throws counts as not yet true. */
    static boolean poll(Supplier<Boolean> condition) throws InterruptedException {
        return await(STEP_LIMIT_MILLIS, () -> {
            try {
                return condition.get();
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
