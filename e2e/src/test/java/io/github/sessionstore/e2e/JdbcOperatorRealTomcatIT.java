package io.github.sessionstore.e2e;

import org.junit.jupiter.api.AfterAll;

/** The operator features of the JDBC store's drop-in jar on MariaDB, on the newest real distribution. */
class JdbcOperatorRealTomcatIT extends OperatorRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new MariaDbStoreFixture();
    }

    @AfterAll
    static void stopDatabase() {
        MariaDbStoreFixture.stopShared();
    }
}
