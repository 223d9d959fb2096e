package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.FlushResult;
import io.github.sessionstore.core.StoreNode;

/**
 * A synchronous standby that stops confirming: a local primary with {@code synchronous_standby_names} naming its
 * standby, whose WAL receiver the test stops (SIGSTOP), so every commit on the primary waits. The store's statement
 * timeout then cancels that wait, and PostgreSQL answers "done" with a WARNING though only the primary has the write.
 * <p>
 * Guards {@link SyncStandbyCheck}: without it the flush reports WRITTEN, a change a failover would lose is
 * acknowledged, and the session is no longer retried.
 */
class PostgresUnconfirmedCommitTest {

    private static final String STANDBY_NAME = "standby1";

    // Started in this order (the standby is copied from the running primary), stopped in the reverse one
    @RegisterExtension
    @Order(1)
    static final PostgresFixture primary = PostgresFixture.local("postgres-sync-primary", "wal_level=replica",
            "synchronous_standby_names=" + STANDBY_NAME, "synchronous_commit=on");

    @RegisterExtension
    @Order(2)
    static final PostgresFixture standby = PostgresFixture.localStandby("postgres-sync-standby", primary,
            STANDBY_NAME);

    /** Waits (at most 30 s) until the primary reports the standby streaming as its synchronous standby. */
    @BeforeAll
    static void replicate() throws Exception {
        String sql = "SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = '"
                + STANDBY_NAME + "'";
        String state = primary.value(sql);
        for (int i = 0; i < 300 && !"streaming sync".equals(state); i++) {
            Thread.sleep(100);
            state = primary.value(sql);
        }
        assertEquals("streaming sync", state, "the standby streams as the synchronous standby");
    }

    /**
     * Issue: a write the statement timeout cut short while the primary waited for the synchronous standby was
     * counted as done. It must fail, stay queued for the background retry, and be written once the standby confirms.
     */
    @Test
    void aWriteNoSynchronousStandbyConfirmedFailsAndIsRetried() throws Exception {
        JdbcStore store = primary.newStore();
        store.setOperationTimeout(1000); // statement timeout 1 s: the cancel comes while the commit waits
        StoreNode node = new StoreNode(store, "localhost", "/sync");
        try {
            StandardSession s = node.newSession(600);
            s.setAttribute("n", 1);
            assertEquals(FlushResult.WRITTEN, node.endRequest(s), "written while the standby confirms");
            String key = node.keyOf(s.getIdInternal());
            String row = "SELECT md5(data) FROM " + SchemaScripts.DEFAULT_TABLE + " WHERE id = '" + key + "'";
            String confirmed = primary.value(row);

            standby.pauseReplication();
            try {
                s.setAttribute("n", 2);
                assertEquals(FlushResult.FAILED, node.endRequest(s), "a write no standby confirmed is not done");
                assertEquals(1, store.statistics().getUnflushedSessions(), "it is queued for the background retry");
                // The primary did commit it: that is the write a failover to the standby would lose
                assertNotEquals(confirmed, primary.value(row), "the primary committed it locally");
                IOException e = assertThrows(IOException.class, () -> node.backend().touch(key,
                        System.currentTimeMillis(), System.currentTimeMillis() + 600_000), "a touch fails alike");
                assertTrue(e.getMessage().contains("synchronous standby"), e.getMessage());
            } finally {
                standby.resumeReplication();
            }

            // FAILED while the circuit breaker is open; then WRITTEN, or SKIPPED if the background retry wrote it
            FlushResult result = FlushResult.FAILED;
            for (int attempt = 0; attempt < 40 && result == FlushResult.FAILED; attempt++) {
                result = node.endRequest(s);
                if (result == FlushResult.FAILED) {
                    Thread.sleep(250);
                }
            }
            assertTrue(List.of(FlushResult.WRITTEN, FlushResult.SKIPPED).contains(result),
                    "written once the standby confirms again: " + result);
            assertEquals(0, store.statistics().getUnflushedSessions(), "nothing left to retry");
        } finally {
            try {
                node.store.clear();
            } finally {
                node.close();
            }
        }
    }
}
