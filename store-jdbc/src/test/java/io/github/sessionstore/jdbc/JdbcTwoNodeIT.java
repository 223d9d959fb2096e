package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

/** The two-node Tomcat suite on MariaDB/MySQL (the dialect-specific SQL is covered by both contract leaves). */
class JdbcTwoNodeIT extends AbstractTwoNodeIT {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

    @Override
    protected AbstractSessionStore newStore() {
        return db.newStore();
    }
}
