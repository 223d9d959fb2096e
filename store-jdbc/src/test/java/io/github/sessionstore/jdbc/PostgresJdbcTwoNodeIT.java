package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

/** The two-node Tomcat suite on PostgreSQL. */
class PostgresJdbcTwoNodeIT extends AbstractTwoNodeIT {

    @RegisterExtension
    static final DatabaseFixture db = PostgresFixture.perClass();

    @Override
    protected AbstractSessionStore newStore() {
        return db.newStore();
    }
}
