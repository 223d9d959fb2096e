package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

class MariaDbJdbcStoreContractTest extends StoreContractTest {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

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
