package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@code postgres} is shut down immediately (SIGQUIT, no checkpoint) under load and restarted on its port and data. */
class PostgresJdbcOutageUnderLoadIT extends AbstractJdbcOutageUnderLoadIT {

    static DatabaseFixture db;

    @BeforeAll
    static void startDatabase() {
        db = PostgresFixture.create();
    }

    @AfterAll
    static void stopDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    DatabaseFixture db() {
        return db;
    }
}
