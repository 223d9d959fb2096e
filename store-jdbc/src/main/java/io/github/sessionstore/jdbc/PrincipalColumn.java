package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.sql.SQLException;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The {@code principal} column (and its index) of a session table created before the principal index existed. With
 * {@code createSchema} it is added at start, before the schema's own statements (whose index needs the column); else,
 * or when adding it fails (no ALTER right), one warning names the statements to run, and the store keeps working
 * without it: sessions are stored as before, and {@code findSessionIds}/{@code expireSessions} are unavailable.
 */
final class PrincipalColumn {

    private static final Log log = LogFactory.getLog(PrincipalColumn.class);
    private static final StringManager sm = StringManager.getManager(PrincipalColumn.class);

    private enum State { PRESENT, MISSING, UNKNOWN }

    private PrincipalColumn() {
    }

    /** createSchema: add the column to an existing table that lacks it; a missing table is the schema's to create. */
    static void addIfMissing(JdbcBackend backend) throws IOException {
        Dialect d = backend.dialect();
        if (state(backend) != State.MISSING) {
            return;
        }
        try {
            backend.execute("add the principal column to " + d.sql.table, SchemaScripts.principalMigration(d));
            log.info(sm.getString("jdbc.principalColumnAdded", d.sql.table));
        } catch (IOException e) {
            // Another node may have added it meanwhile; else check() warns
            if (log.isDebugEnabled()) {
                log.debug(sm.getString("jdbc.principalColumnNotAdded", d.sql.table, e.getMessage()));
            }
        }
    }

    /** Use the table as it is: without the column, warn once and switch the backend to the SQL without it. */
    static void check(JdbcBackend backend) throws IOException {
        Dialect d = backend.dialect();
        if (state(backend) != State.MISSING) {
            return; // present, or the table itself is unusable, which the table check reports
        }
        log.warn(sm.getString("jdbc.noPrincipalColumn", d.sql.table, d.name,
                String.join("; ", SchemaScripts.principalMigration(d))));
        backend.withoutPrincipalColumn();
    }

    private static State state(JdbcBackend backend) throws IOException {
        Dialect d = backend.dialect();
        try {
            backend.checkTable(d.sql.table, d.sql.principalCheck);
            return State.PRESENT;
        } catch (IOException e) {
            return e.getCause() instanceof SQLException s && d.isUndefinedColumn(s) ? State.MISSING : State.UNKNOWN;
        }
    }
}
