package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The network between the nodes and MongoDB is cut under load (every connection dropped, new ones refused) and
 * restored. This models an unreachable server rather than a killed one: the server here is the in-JVM stand-in
 * (mongo-java-server, in memory), which cannot be restarted with its data, so "kill and restart" would test a server
 * that lost everything, which a real mongod with a journal does not. The nodes reach it through a {@link TcpProxy}
 * on a fixed port, as in {@link MongoOutageIT}; the driver must drop its broken pooled connections and find the
 * server again by itself.
 */
class MongoOutageUnderLoadIT extends AbstractOutageUnderLoadIT {

    private static MongoFixture.StandIn mongo;
    private static TcpProxy network;

    @BeforeAll
    static void startMongo() throws Exception {
        mongo = MongoFixture.StandIn.start(0);
        try {
            network = new TcpProxy(ServerProcess.freePort(), mongo.port());
        } catch (Exception e) {
            mongo.close();
            throw e;
        }
        Fixtures.announce("MongoDB", mongo.label() + ", behind a TCP proxy on port " + network.port());
    }

    @AfterAll
    static void stopMongo() {
        try {
            if (network != null) {
                network.close();
            }
        } finally {
            if (mongo != null) {
                mongo.close();
            }
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://127.0.0.1:" + network.port() + "/?directConnection=true");
        store.setDatabase(MongoFixture.TEST_DATABASE);
        store.setCollection("outage_under_load");
        return store;
    }

    @Override
    protected void breakStore() {
        network.cut();
    }

    @Override
    protected void repairStore() throws Exception {
        network.restore();
    }
}
