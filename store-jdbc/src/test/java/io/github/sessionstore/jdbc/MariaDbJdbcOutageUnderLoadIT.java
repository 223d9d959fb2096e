package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@code mariadbd} is SIGKILLed under load and restarted on its port and data directory. */
class MariaDbJdbcOutageUnderLoadIT extends AbstractJdbcOutageUnderLoadIT {

    static DatabaseFixture db;

    @BeforeAll
    static void startDatabase() {
        db = MariaDbFixture.create();
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
