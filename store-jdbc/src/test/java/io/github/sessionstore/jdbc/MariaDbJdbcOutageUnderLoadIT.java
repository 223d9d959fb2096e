package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code mariadbd} is SIGKILLed under load and restarted on its port and data directory. */
class MariaDbJdbcOutageUnderLoadIT extends AbstractJdbcOutageUnderLoadIT {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

    @Override
    DatabaseFixture db() {
        return db;
    }
}
