package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.BeforeEach;

import io.github.sessionstore.core.AbstractOutageIT;
import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The shared outage scenario with the network between the Tomcats and MongoDB cut (every connection dropped, new ones
 * refused) and restored. MongoDB keeps its data throughout, as it would in a partition; the driver must drop its
 * broken pooled connections and find the server again on its own.
 * <p>
 * Runs on the in-JVM stand-in behind a {@link TcpProxy}: a provided replica set would be reached by its members'
 * own addresses, past the proxy.
 */
class MongoOutageIT extends AbstractOutageIT {

    private MongoFixture.StandIn mongo;
    private TcpProxy network;

    @BeforeEach
    void startMongo() throws Exception {
        mongo = MongoFixture.StandIn.start(0);
        network = new TcpProxy(ServerProcess.freePort(), mongo.port());
        Fixtures.announce("MongoDB", mongo.label() + ", behind a TCP proxy on port " + network.port());
    }

    @Override
    protected AbstractSessionStore newStore() {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://127.0.0.1:" + network.port() + "/?directConnection=true");
        store.setDatabase(MongoFixture.TEST_DATABASE);
        return store;
    }

    @Override
    protected void cut() {
        network.cut();
    }

    @Override
    protected void restore() throws Exception {
        network.restore();
    }

    @Override
    protected void closeBackend() throws Exception {
        try {
            network.close();
        } finally {
            mongo.close();
        }
    }
}
