package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on PostgreSQL. */
class PostgresOperatorContractTest extends OperatorContractTest {

    @RegisterExtension
    static final DatabaseFixture db = PostgresFixture.perClass();

    @Override
    protected AbstractSessionStore newStore() {
        return db.newStore();
    }
}
