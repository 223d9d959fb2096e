package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresPrincipalColumnTest extends AbstractJdbcPrincipalColumnTest {

    @RegisterExtension
    static final DatabaseFixture db = PostgresFixture.perClass();

    @Override
    DatabaseFixture db() {
        return db;
    }

    @Override
    void assertPrincipalIndex(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT indexdef FROM pg_indexes WHERE tablename = ? AND indexname = ?")) {
            ps.setString(1, table);
            ps.setString(2, table + "_principal_ix");
            try (ResultSet rs = ps.executeQuery()) {
                String def = rs.next() ? rs.getString(1) : "(none)";
                assertEquals(true, def.contains("(app, principal) WHERE (principal IS NOT NULL)"), def);
            }
        }
    }

    @Override
    List<String> dropPrincipalColumn(String table) {
        return List.of("ALTER TABLE " + table + " DROP COLUMN principal"); // its index goes with it
    }
}
