package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;

/**
 * The principal column: in the shipped schema with its index, written with the record, and added to a table created
 * before it (createSchema) or, without createSchema, left out with the store working as before. Also the server-side
 * paging of keys. A leaf per dialect supplies the fixture and the catalog queries.
 */
abstract class AbstractJdbcPrincipalColumnTest {

    static final String USER = "user";

    abstract DatabaseFixture db();

    /** Fails unless {@code table} has its principal index on (app, principal). */
    abstract void assertPrincipalIndex(Connection c, String table) throws SQLException;

    /** What takes {@code table} back to the schema before the principal column. */
    abstract List<String> dropPrincipalColumn(String table);

    private final List<StoreNode> nodes = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        try {
            for (StoreNode n : nodes) {
                n.close();
            }
        } finally {
            try (Connection c = db().connect(); Statement st = c.createStatement()) {
                for (String t : tables) {
                    st.execute("DROP TABLE IF EXISTS " + t + "_locks");
                    st.execute("DROP TABLE IF EXISTS " + t);
                }
            }
        }
    }

    private StoreNode node(String table, Consumer<JdbcStore> settings) throws Exception {
        JdbcStore store = db().newStore();
        store.setTable(table);
        store.setPrincipalAttribute(USER);
        settings.accept(store);
        if (!tables.contains(table)) {
            tables.add(table);
        }
        StoreNode n = new StoreNode(store, "localhost", "/principal");
        nodes.add(n);
        return n;
    }

    private int principalColumns(String table) throws SQLException {
        try (Connection c = db().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = ? AND column_name = 'principal'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void assertPrincipalIndex(String table) throws SQLException {
        try (Connection c = db().connect()) {
            assertPrincipalIndex(c, table);
        }
    }

    private static StandardSession userSession(StoreNode node, String user) {
        StandardSession s = node.newSession(600);
        s.setAttribute(USER, user);
        assertEquals("WRITTEN", String.valueOf(node.endRequest(s)));
        return s;
    }

    @Test
    void theSchemaHasAnIndexedPrincipalColumnWrittenWithTheRecord() throws Exception {
        String table = "principal_t";
        StoreNode a = node(table, s -> { });
        assertEquals(1, principalColumns(table));
        assertPrincipalIndex(table);
        assertTrue(a.backend().indexesPrincipals());
        StandardSession s = userSession(a, "ann");
        String key = s.getIdInternal();
        assertEquals(List.of(key), a.backend().keysOfPrincipal("ann", 10));
        assertEquals("ann", a.backend().stat(key).principal());
        assertEquals("ann", a.backend().load(key).principal());
        assertEquals("ann", a.backend().claimExpired(key, Long.MAX_VALUE).principal(), "the claim returns it too");
    }

    /**
     * An installation upgraded without the new DDL: with createSchema=false the store keeps working on the old table
     * (sessions written and read, the operations refused with a message); the next start with createSchema adds the
     * column and its index, and sessions written before stay readable.
     */
    @Test
    void aTableWithoutTheColumnWorksWithoutTheIndexUntilCreateSchemaAddsIt() throws Exception {
        String table = "legacy_t";
        node(table, s -> { }).close(); // today's schema, then taken back to the old one
        try (Connection c = db().connect(); Statement st = c.createStatement()) {
            for (String sql : dropPrincipalColumn(table)) {
                st.execute(sql);
            }
        }
        assertEquals(0, principalColumns(table));

        StoreNode old = node(table, s -> s.setCreateSchema(false));
        assertTrue(old.store.statistics().isBackendAvailable());
        assertFalse(old.backend().indexesPrincipals());
        StandardSession before = userSession(old, "ben");
        assertNull(old.backend().stat(before.getIdInternal()).principal());
        assertThrows(UnsupportedOperationException.class, () -> old.store.statistics().findSessionIds("ben"));
        old.close();
        assertEquals(0, principalColumns(table), "createSchema=false changes nothing");

        StoreNode upgraded = node(table, s -> { });
        assertEquals(1, principalColumns(table));
        assertPrincipalIndex(table);
        assertTrue(upgraded.backend().indexesPrincipals());
        assertNotNull(upgraded.load(before.getIdInternal()), "a session written before the column stays readable");
        StandardSession after = userSession(upgraded, "ben");
        assertEquals(List.of(after.getIdInternal()), List.of(upgraded.store.statistics().findSessionIds("ben")));
    }

    @Test
    void keysArePagedInIdOrderOnTheServer() throws Exception {
        SessionBackend.Listing b = node("paged_t", s -> { }).listing();
        long now = System.currentTimeMillis();
        for (String key : List.of("K3", "K0", "K4", "K1", "K2")) {
            b.save(key, new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
        }
        assertEquals(List.of("K0", "K1"), b.keysAfter(null, 2));
        assertEquals(List.of("K2", "K3"), b.keysAfter("K1", 2));
        assertEquals(List.of("K4"), b.keysAfter("K3", 2));
        assertEquals(List.of(), b.keysAfter("K4", 2));
    }
}
