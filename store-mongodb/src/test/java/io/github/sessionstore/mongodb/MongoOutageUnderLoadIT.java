package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;

/**
 * The network between the nodes and MongoDB is cut under load (every connection dropped, new ones refused) and
 * restored. This models an unreachable server rather than a killed one: the server here is the in-JVM stand-in
 * (mongo-java-server, in memory), which cannot be restarted with its data, so "kill and restart" would test a server
 * that lost everything, which a real mongod with a journal does not. The nodes reach it through a {@link TcpProxy}
 * on a fixed port, as in {@link MongoOutageIT}; the driver must drop its broken pooled connections and find the
 * server again by itself.
 */
class MongoOutageUnderLoadIT extends AbstractOutageUnderLoadIT {

    @RegisterExtension
    static final MongoProxyFixture mongo = MongoProxyFixture.perClass();

    @Override
    protected AbstractSessionStore newStore() {
        return mongo.newStore("outage_under_load");
    }

    @Override
    protected void breakStore() {
        mongo.cut();
    }

    @Override
    protected void repairStore() throws Exception {
        mongo.restore();
    }
}
