package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;

/**
 * PostgreSQL's own failover: two local {@code postgres}, a primary and a synchronous streaming-replication standby of
 * it ({@code pg_basebackup -R}), and every node's store on pgjdbc's multi-host URL with
 * {@code targetServerType=primary}, as store-jdbc's README shows it. Under the outage harness's load the primary is
 * SIGKILLed ({@link #breakStore()}); a few seconds later, as an operator or an orchestrator would, the test promotes
 * the standby with {@code pg_ctl promote} ({@link #repairStore()}).
 * <p>
 * What it shows, with the harness's checks: every request is answered 200 through the kill and the promotion (the
 * nodes keep the sessions in memory and retry the writes that failed, on the dead primary and on the standby before
 * its promotion); the nodes' pools find the promoted standby by themselves (the driver skips a host that is down or
 * still read-only); and a fresh node, which can only reach the promoted standby, reads every session with exactly the
 * last counter and list its client was answered, before and after the kill: no acknowledged change was lost.
 * <p>
 * Synchronous replication is what makes "acknowledged" mean "on the standby too": with the standby's
 * {@code application_name} in {@code synchronous_standby_names} and {@code synchronous_commit=on}, the primary answers
 * a commit only once the standby has flushed its WAL, and promotion replays everything the standby received.
 * {@link #breakStore()} checks, just before the kill, that the standby is still the synchronous one.
 */
class PostgresSyncReplicationFailoverIT extends AbstractOutageUnderLoadIT {

    /** The standby's {@code application_name}, which the primary's {@code synchronous_standby_names} names. */
    private static final String STANDBY_NAME = "standby1";
    /** Replication set-up and checks wait at most this long each. */
    private static final long STEP_LIMIT_MILLIS = 30_000;

    // Started in this order (the standby is copied from the running primary), stopped in the reverse one
    @RegisterExtension
    @Order(1)
    static final PostgresFixture primary = PostgresFixture.local("postgres-primary", "wal_level=replica",
            "synchronous_standby_names=" + STANDBY_NAME, "synchronous_commit=on");

    @RegisterExtension
    @Order(2)
    static final PostgresFixture standby = PostgresFixture.localStandby("postgres-standby", primary, STANDBY_NAME);

    /** The README's URL: both hosts, and only a host that takes writes will do. */
    static String url() {
        return "jdbc:postgresql://127.0.0.1:" + primary.server.port() + ",127.0.0.1:" + standby.server.port()
                + "/postgres?targetServerType=primary";
    }

    private final FailoverRecorder recorder = new FailoverRecorder();
    private String replicationAtKill;
    private String primaryLsnAtKill;
    private String receivedAtPromotion;
    private long promotionMillis;
    private boolean promoted;

    /** Waits until the primary reports the standby streaming as its synchronous standby. */
    @BeforeAll
    static void replicate() throws Exception {
        assertTrue(await(STEP_LIMIT_MILLIS, () -> "streaming sync".equals(replication())),
                () -> "the standby streams as the synchronous standby: " + replication());
        assertEquals("true", value(standby, "SELECT pg_is_in_recovery()::text"), "the standby is in recovery");
    }

    @Override
    protected AbstractSessionStore newStore() {
        JdbcStore store = new FailoverRecorder.RecordingStore(recorder);
        store.setUrl(url());
        store.setUsername(primary.user);
        store.setPassword(primary.password);
        // Waiting for a pooled connection is bounded like every other backend call
        store.setConnectionTimeout(OPERATION_TIMEOUT_MILLIS);
        return store;
    }

    /** Checks that the standby is still the synchronous one, then SIGKILLs the primary's postmaster. */
    @Override
    protected void breakStore() throws Exception {
        replicationAtKill = replication();
        assertEquals("streaming sync", replicationAtKill, "the standby is the synchronous standby at the kill");
        // The stores did write to the primary (a URL that kept them off it would pass the rest: nothing to lose)
        String rows = value(primary, "SELECT COUNT(*) FROM " + SchemaScripts.DEFAULT_TABLE);
        assertTrue(Long.parseLong(rows) > 0, "the stores wrote sessions to the primary before the kill: " + rows);
        primaryLsnAtKill = value(primary, "SELECT pg_current_wal_lsn()");
        primary.server.killHard();
        // Stamped once the process is gone: a write that started before is not one "after the kill"
        recorder.killedAt = System.nanoTime();
        assertFalse(primary.server.isAlive(), "the primary is dead");
    }

    /** Promotes the standby with {@code pg_ctl promote}, which returns once it takes writes. */
    @Override
    protected void repairStore() throws Exception {
        if (promoted) {
            return;
        }
        long t0 = System.nanoTime();
        receivedAtPromotion = value(standby, "SELECT pg_last_wal_receive_lsn()");
        standby.promote();
        promoted = true;
        recorder.promotedAt = System.nanoTime();
        promotionMillis = TimeUnit.NANOSECONDS.toMillis(recorder.promotedAt - t0);
        assertEquals("false", value(standby, "SELECT pg_is_in_recovery()::text"), "the standby was promoted");
    }

    @AfterEach
    void printFigures() {
        long killedAt = recorder.killedAt;
        long promotedAt = recorder.promotedAt;
        long firstWrite = recorder.firstWriteAfterKill.get();
        String rows;
        String version;
        try {
            rows = value(standby, "SELECT COUNT(*) FROM " + SchemaScripts.DEFAULT_TABLE);
            version = value(standby, "SHOW server_version");
        } catch (RuntimeException e) {
            rows = e.toString();
            version = "?";
        }
        String figures = String.format("[sessionstore-tests] sync replication failover, PostgreSQL %s: standby "
                + "(state, sync_state) at the kill %s, primary at WAL %s; primary SIGKILLed, standby promoted %d ms "
                + "later (pg_ctl promote %d ms, had received up to WAL %s); writes unavailable %s ms (kill to the "
                + "first write acknowledged by the promoted standby), of which %s ms after the promotion; backend "
                + "calls failed after the kill %d (%d writes), background retries that wrote %d; session rows on "
                + "the promoted standby %s", version, replicationAtKill, primaryLsnAtKill,
                killedAt == 0 || promotedAt == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(promotedAt - killedAt),
                promotionMillis, receivedAtPromotion,
                firstWrite < 0 || killedAt == 0 ? "?" : TimeUnit.NANOSECONDS.toMillis(firstWrite - killedAt),
                firstWrite < 0 || promotedAt == 0 ? "?" : TimeUnit.NANOSECONDS.toMillis(firstWrite - promotedAt),
                recorder.failedCalls.get(), recorder.failedWrites.get(), recorder.retriedWrites.get(), rows);
        System.out.println(figures);
        System.err.println(figures);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The primary's view of the standby: {@code "<state> <sync_state>"}, or what it said instead. */
    static String replication() {
        try {
            return value(primary, "SELECT COALESCE(string_agg(state || ' ' || sync_state, ', '), 'no standby')"
                    + " FROM pg_stat_replication WHERE application_name = '" + STANDBY_NAME + "'");
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** The first column of the first row of {@code sql}, as text. */
    static String value(DatabaseFixture db, String sql) {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
