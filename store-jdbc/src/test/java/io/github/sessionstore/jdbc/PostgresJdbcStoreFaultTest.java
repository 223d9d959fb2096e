package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresJdbcStoreFaultTest extends AbstractJdbcStoreFaultTest {

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
