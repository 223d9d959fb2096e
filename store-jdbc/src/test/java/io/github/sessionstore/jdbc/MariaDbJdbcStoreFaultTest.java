package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;

class MariaDbJdbcStoreFaultTest extends AbstractJdbcStoreFaultTest {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

    @Override
    DatabaseFixture db() {
        return db;
    }

    /**
     * A session under maxSessionSize but over the server's max_allowed_packet: the flush fails (counted, no exception
     * to the request) and the backend's error names max_allowed_packet. Guards the packet-size translation.
     */
    @Test
    void sessionOverMaxAllowedPacketFailsWithAClearMessage() throws Exception {
        long previous;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.max_allowed_packet")) {
                rs.next();
                previous = rs.getLong(1);
            }
            st.execute("SET GLOBAL max_allowed_packet = 1048576");
        }
        try {
            // a new store opens new connections, which see the lowered limit
            StoreNode a = node(s -> { });
            StandardSession s = session(a, "PACKET0123456789", 1);
            s.setAttribute("big", new byte[3 * 1024 * 1024]);
            assertEquals("FAILED", flush(a, s));
            assertTrue(a.store.statistics().getErrors() > 0);
            long now = System.currentTimeMillis();
            IOException e = assertThrows(IOException.class, () -> a.backend().save(
                    "PACKET0123456789",
                    new StoredSession(new byte[3 * 1024 * 1024], 1, now, 600, now + 600_000)));
            assertTrue(e.getMessage().contains("max_allowed_packet"), e.getMessage());
            assertEquals("WRITTEN", flush(a, session(a, "SMALL01234567890", 2)), "the store still works");
        } finally {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("SET GLOBAL max_allowed_packet = " + previous);
            }
        }
    }

    /**
     * The read bound holds in the database: a payload above maxSessionSize + 1 KiB is sent neither by a load nor by
     * the sweep's claim (measured by the server's own count of bytes sent), and comes back as metadata only.
     */
    @Test
    void anOversizedPayloadNeverLeavesTheDatabase() throws Exception {
        StoreNode writer = node(s -> { });
        StoreNode bounded = node(s -> s.setMaxSessionSize(64 * 1024));
        long now = System.currentTimeMillis();
        byte[] payload = new byte[512 * 1024];
        writer.backend().save("BIGROW0123456789", new StoredSession(payload, 5, now, 600, now + 600_000));
        writer.backend().save("OLDROW0123456789", new StoredSession(payload, 6, now - 20_000, 10, now - 10_000));
        assertEquals(payload.length, writer.backend().load("BIGROW0123456789").data().length);

        long before = bytesSent();
        StoredSession refused = bounded.backend().load("BIGROW0123456789");
        StoredSession claimed = bounded.backend().claimExpired("OLDROW0123456789", now);
        long sent = bytesSent() - before;
        assertTrue(sent < 64 * 1024, "the server sent " + sent + " bytes for two 512 KB rows");
        assertEquals(0, refused.data().length);
        assertEquals(5, refused.version(), "the metadata comes with it");
        assertEquals(0, claimed.data().length);
        assertEquals(6, claimed.version());
        assertNull(bounded.backend().stat("OLDROW0123456789"), "the claim still deleted it");
    }

    private long bytesSent() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Bytes_sent'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
