package io.github.sessionstore.jdbc;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * PostgreSQL's commit that no synchronous standby confirmed. With {@code synchronous_standby_names} set, the primary
 * commits locally, then waits for the standby; a cancel during that wait (the statement timeout's, see
 * {@code Statement.setQueryTimeout}) ends the wait without undoing the commit, and the client is told "done" with
 * only a WARNING ("canceling wait for synchronous replication due to user request"). The write is then on the
 * primary alone, and a failover to the standby would lose it: {@link #check} turns that answer into a failure.
 * <p>
 * Reading a statement's warnings is local (the driver keeps the notices that came with the answer), so the check
 * adds no round trip.
 */
final class SyncStandbyCheck {

    /**
     * The server function that waits for the standby, in the notice's routine field ({@code R}): unlike the message
     * it is never translated ({@code lc_messages}). Every warning it raises ends the wait unconfirmed (the cancel's,
     * and the one for a backend terminated while waiting).
     */
    static final String ROUTINE = "SyncRepWaitForLSN";
    /** Both of those warnings' English text contains it; for a driver that does not expose the routine. */
    static final String ENGLISH = "wait for synchronous replication";

    private SyncStandbyCheck() {
    }

    /** Throws if the autocommitted write just run on {@code st} was not confirmed by a synchronous standby. */
    static void check(Statement st) throws SQLException {
        for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            if (unconfirmed(w)) {
                throw new SQLException("the primary committed the write, but the statement timeout"
                        + " (operationTimeout) canceled its wait for the synchronous standby, so no standby has"
                        + " confirmed it and a failover could lose it (standby down or slower than operationTimeout)",
                        w);
            }
        }
    }

    /** Whether {@code w} is PostgreSQL's warning that the wait for the synchronous standby ended unconfirmed. */
    static boolean unconfirmed(SQLWarning w) {
        String routine = routine(w);
        if (routine != null) {
            return ROUTINE.equals(routine);
        }
        String message = w.getMessage();
        return message != null && message.contains(ENGLISH);
    }

    /**
     * The notice's routine field: pgjdbc's {@code PSQLWarning.getServerErrorMessage().getRoutine()}, found by name
     * (the driver is not a compile dependency, and a container's copy is not the drop-in jar's relocated one); only
     * reached when a write returned a warning, which is rare.
     */
    private static String routine(SQLWarning w) {
        try {
            Object fields = w.getClass().getMethod("getServerErrorMessage").invoke(w);
            return fields == null ? null : (String) fields.getClass().getMethod("getRoutine").invoke(fields);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
