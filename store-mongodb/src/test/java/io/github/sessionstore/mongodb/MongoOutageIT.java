package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractOutageIT;
import io.github.sessionstore.core.AbstractSessionStore;

/**
 * The shared outage scenario with the network between the Tomcats and MongoDB cut and restored (see
 * {@link MongoProxyFixture}): the driver must drop its broken pooled connections and find the server again on its own.
 */
class MongoOutageIT extends AbstractOutageIT {

    @RegisterExtension
    static final MongoProxyFixture mongo = MongoProxyFixture.perClass();

    @Override
    protected AbstractSessionStore newStore() {
        return mongo.newStore(null);
    }

    @Override
    protected void cut() {
        mongo.cut();
    }

    @Override
    protected void restore() throws Exception {
        mongo.restore();
    }
}
