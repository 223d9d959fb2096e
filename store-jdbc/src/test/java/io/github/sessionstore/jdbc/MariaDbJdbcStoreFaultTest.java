package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
