package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on MariaDB. */
class MariaDbOperatorContractTest extends OperatorContractTest {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

    @Override
    protected AbstractSessionStore newStore() {
        return db.newStore();
    }
}
