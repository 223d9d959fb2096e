package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

class MariaDbJdbcStoreContractTest extends StoreContractTest {

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
    protected AbstractSessionStore newStore() {
        return db.newStore();
    }

    /** The database password must not show in JMX or the store's description. */
    @Override
    protected String secret() {
        return db.password;
    }
}
