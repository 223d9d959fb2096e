package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLWarning;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

/**
 * How {@link SyncStandbyCheck} recognizes PostgreSQL's warning, with pgjdbc's own warning objects built from the
 * notice fields the server sends ({@code PostgresUnconfirmedCommitTest} runs it against a real primary).
 */
class SyncStandbyCheckTest {

    /** A pgjdbc warning as parsed from a NoticeResponse: fields of one letter each, NUL-separated. */
    private static PSQLWarning notice(String sqlState, String message, String routine) {
        return new PSQLWarning(new ServerErrorMessage("SWARNING\0VWARNING\0C" + sqlState + "\0M" + message
                + "\0Fsyncrep.c\0L287\0R" + routine + "\0"));
    }

    /** Guards reading the routine field: a server with lc_messages other than English translates the message. */
    @Test
    void theWaitsRoutineIsRecognizedWhateverTheMessagesLanguage() {
        assertTrue(SyncStandbyCheck.unconfirmed(notice("01000",
                "canceling wait for synchronous replication due to user request", "SyncRepWaitForLSN")));
        assertTrue(SyncStandbyCheck.unconfirmed(notice("01000",
                "Warten auf synchrone Replikation wird abgebrochen wegen Benutzeraufforderung", "SyncRepWaitForLSN")));
        assertTrue(SyncStandbyCheck.unconfirmed(notice("57P01", "canceling the wait for synchronous replication and"
                + " terminating connection due to administrator command", "SyncRepWaitForLSN")));
    }

    /** Guards against failing writes that did commit for good: other warnings of a write are not this one. */
    @Test
    void otherWarningsOfAWriteAreNotUnconfirmedCommits() {
        // Raised with the same plain WARNING code while the cluster nears transaction ID wraparound
        assertFalse(SyncStandbyCheck.unconfirmed(notice("01000",
                "database \"postgres\" must be vacuumed within 39985967 transactions", "GetNewTransactionId")));
        // A trigger's RAISE WARNING quoting the text: the routine says where it came from
        assertFalse(SyncStandbyCheck.unconfirmed(notice("01000",
                "canceling wait for synchronous replication due to user request", "exec_stmt_raise")));
        assertFalse(SyncStandbyCheck.unconfirmed(new SQLWarning("Data truncated for column 'x'", "01000")));
    }

    /** A driver that exposes no routine (or a wrapper that hides it): PostgreSQL's English text. */
    @Test
    void withoutTheRoutineTheEnglishTextIsRecognized() {
        assertTrue(SyncStandbyCheck.unconfirmed(
                new SQLWarning("canceling wait for synchronous replication due to user request", "01000")));
    }
}
