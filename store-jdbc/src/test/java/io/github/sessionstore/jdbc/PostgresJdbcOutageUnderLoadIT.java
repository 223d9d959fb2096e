package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code postgres} is shut down immediately (SIGQUIT, no checkpoint) under load and restarted on its port and data. */
class PostgresJdbcOutageUnderLoadIT extends AbstractJdbcOutageUnderLoadIT {

    @RegisterExtension
    static final DatabaseFixture db = PostgresFixture.perClass();

    @Override
    DatabaseFixture db() {
        return db;
    }
}
