package io.github.sessionstore.jdbc;

import java.io.IOException;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * A backend's tables at open: created if asked, the principal column added or done without ({@link PrincipalColumn}),
 * then checked. A missing lock table only warns: it is needed by the pessimistic locking mode alone, so an
 * installation whose DBA has not created it yet keeps working in the other modes, and a lock call then fails naming
 * it.
 */
final class SchemaSetup {

    /** JdbcBackend's logger: the lock table's warning is logged under that name. */
    private static final Log log = LogFactory.getLog(JdbcBackend.class);
    private static final StringManager sm = StringManager.getManager(JdbcBackend.class);

    private SchemaSetup() {
    }

    /** Runs once at open; returns whether the lock table answered. */
    static boolean prepare(JdbcBackend backend, boolean createSchema) throws IOException {
        if (createSchema) {
            PrincipalColumn.addIfMissing(backend);
            try {
                createSchema(backend);
            } catch (IOException first) {
                // Two nodes creating the table at once can collide in the catalog (PostgreSQL); the second try sees it
                createSchema(backend);
            }
        }
        PrincipalColumn.check(backend);
        Dialect d = backend.dialect();
        backend.checkTable(d.sql.table, d.sql.stat);
        try {
            backend.checkTable(d.sql.lockTable, d.sql.lockCheck);
            return true;
        } catch (IOException e) {
            log.warn(sm.getString("jdbc.lockTableUnusable", d.sql.lockTable, e.getMessage(), d.name));
            return false;
        }
    }

    private static void createSchema(JdbcBackend backend) throws IOException {
        Dialect d = backend.dialect();
        backend.execute("create tables " + d.sql.table + ", " + d.sql.lockTable, SchemaScripts.schema(d));
    }
}
