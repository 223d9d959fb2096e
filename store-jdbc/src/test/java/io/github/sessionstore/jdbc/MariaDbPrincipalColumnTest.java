package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbPrincipalColumnTest extends AbstractJdbcPrincipalColumnTest {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

    @Override
    DatabaseFixture db() {
        return db;
    }

    @Override
    void assertPrincipalIndex(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.statistics"
                + " WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ? ORDER BY seq_in_index")) {
            ps.setString(1, table);
            ps.setString(2, table + "_principal_ix");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        assertEquals(List.of("app", "principal"), columns);
    }

    @Override
    List<String> dropPrincipalColumn(String table) {
        return List.of("ALTER TABLE " + table + " DROP INDEX " + table + "_principal_ix, DROP COLUMN principal");
    }
}
