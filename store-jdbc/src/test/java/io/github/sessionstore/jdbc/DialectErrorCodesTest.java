package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import com.mysql.cj.jdbc.exceptions.PacketTooBigException;

/**
 * The errors each dialect tells apart, by the SQLSTATE and vendor code its drivers report (the fault and principal
 * column tests meet them on real servers).
 */
class DialectErrorCodesTest {

    private static final Dialect MYSQL = Dialect.forUrl("jdbc:mysql://db/app", "t", "t_locks");
    private static final Dialect POSTGRES = Dialect.forUrl("jdbc:postgresql://db/app", "t", "t_locks");

    /** Guards MySQL's insert-if-absent and lock take-over, which read ER_DUP_ENTRY as "there is a row". */
    @Test
    void mySqlDuplicateKeyIsTheAnswerNotAFailure() {
        assertTrue(MYSQL.isDuplicateKey(new SQLException("Duplicate entry", "23000", 1062)));
        assertTrue(MYSQL.isDuplicateKey(new SQLException("Duplicate entry for key", "23000", 1586)));
        assertFalse(MYSQL.isDuplicateKey(new SQLException("Data too long for column", "22001", 1406)));
    }

    /** Guards the one retry of a write picked as a deadlock victim; a lock wait timeout is not retried. */
    @Test
    void deadlockVictimsAreRetriedOnce() {
        assertTrue(MYSQL.isSerializationFailure(new SQLException("Deadlock found", "40001", 1213)));
        assertTrue(MYSQL.isSerializationFailure(new SQLException("Deadlock found", null, 1213)));
        assertTrue(POSTGRES.isSerializationFailure(new SQLException("deadlock detected", "40P01", 0)));
        assertTrue(POSTGRES.isSerializationFailure(new SQLException("could not serialize access", "40001", 0)));
        assertFalse(MYSQL.isSerializationFailure(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertFalse(POSTGRES.isSerializationFailure(new SQLException("lock timeout", "55P03", 0)));
    }

    /** Guards clear() without a lock table and the detection of a table without the principal column. */
    @Test
    void missingTablesAndColumnsAreToldApart() {
        assertTrue(MYSQL.isUndefinedTable(new SQLException("Table doesn't exist", "42S02", 1146)));
        assertTrue(POSTGRES.isUndefinedTable(new SQLException("relation does not exist", "42P01", 0)));
        assertTrue(MYSQL.isUndefinedColumn(new SQLException("Unknown column", "42S22", 1054)));
        assertTrue(POSTGRES.isUndefinedColumn(new SQLException("column does not exist", "42703", 0)));
        assertFalse(MYSQL.isUndefinedTable(new SQLException("Unknown column", "42S22", 1054)));
        assertFalse(POSTGRES.isUndefinedTable(new SQLException("column does not exist", "42703", 0)));
        assertFalse(MYSQL.isUndefinedColumn(new SQLException("Table doesn't exist", "42S02", 1146)));
        assertFalse(POSTGRES.isUndefinedColumn(new SQLException("relation does not exist", "42P01", 0)));
    }

    /** Guards the max_allowed_packet advice: Connector/J's own check, the server's error, or a cause's message. */
    @Test
    void mySqlPacketTooBigIsRecognizedAlongTheCauses() {
        assertTrue(MYSQL.isPacketTooBig(new PacketTooBigException("too big")));
        assertTrue(MYSQL.isPacketTooBig(new SQLException("Got a packet bigger than allowed", "08S01", 1153)));
        assertTrue(MYSQL.isPacketTooBig(new SQLException("Result was larger than allowed", "HY000", 1301)));
        assertTrue(MYSQL.isPacketTooBig(new SQLException("write failed", "08S01", 0,
                new IOException("Packet for query is too large; change max_allowed_packet"))));
        assertFalse(MYSQL.isPacketTooBig(new SQLException("Communications link failure", "08S01", 0)));
    }
}
