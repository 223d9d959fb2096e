package io.github.sessionstore.jdbc;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;

/**
 * The database server process is killed under load and started again on the same port with the same data; a leaf
 * per dialect supplies the fixture. Only a local server binary can be killed and restarted by the test (not an
 * explicit endpoint or a container): the test is skipped otherwise.
 */
abstract class AbstractJdbcOutageUnderLoadIT extends AbstractOutageUnderLoadIT {

    abstract DatabaseFixture db();

    @BeforeEach
    void needsARestartableDatabase() {
        Assumptions.assumeTrue(db().canRestart(), "needs a database this test can kill and restart");
    }

    @Override
    protected AbstractSessionStore newStore() {
        JdbcStore store = db().newStore();
        // Waiting for a pooled connection is bounded like every other backend call
        store.setConnectionTimeout(OPERATION_TIMEOUT_MILLIS);
        return store;
    }

    @Override
    protected void breakStore() throws Exception {
        db().crash();
    }

    @Override
    protected void repairStore() throws Exception {
        db().restart();
    }
}
