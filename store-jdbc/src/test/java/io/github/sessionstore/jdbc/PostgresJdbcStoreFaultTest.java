package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresJdbcStoreFaultTest extends AbstractJdbcStoreFaultTest {

    @RegisterExtension
    static final DatabaseFixture db = PostgresFixture.perClass();

    @Override
    DatabaseFixture db() {
        return db;
    }
}
