package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

/** The two-node Tomcat suite on PostgreSQL. */
class PostgresJdbcTwoNodeIT extends AbstractTwoNodeIT {

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
    protected AbstractSessionStore newStore() {
        return db.newStore();
    }
}
