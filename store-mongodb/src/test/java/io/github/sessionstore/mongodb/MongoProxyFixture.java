package io.github.sessionstore.mongodb;

import io.github.sessionstore.core.testkit.ClassFixture;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The in-JVM stand-in behind a {@link TcpProxy}, for the outage tests: {@link #cut()} drops every connection and
 * refuses new ones, {@link #restore()} lets them through again, and the data stays throughout, as in a partition. A
 * provided replica set would be reached by its members' own addresses, past the proxy, hence the stand-in.
 */
final class MongoProxyFixture extends ClassFixture {

    private TcpProxy network;

    static MongoProxyFixture perClass() {
        return new MongoProxyFixture();
    }

    @Override
    protected void start() throws Exception {
        MongoFixture.StandIn mongo = own(MongoFixture.StandIn.start(0));
        network = own(new TcpProxy(ServerProcess.freePort(), mongo.port()));
        Fixtures.announce("MongoDB", mongo.label() + ", behind a TCP proxy on port " + network.port());
    }

    /** A store that reaches the stand-in through the proxy, over the test database's {@code collection}. */
    MongoStore newStore(String collection) {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://127.0.0.1:" + network.port() + "/?directConnection=true");
        store.setDatabase(MongoFixture.TEST_DATABASE);
        if (collection != null) {
            store.setCollection(collection);
        }
        return store;
    }

    void cut() {
        network.cut();
    }

    void restore() throws Exception {
        network.restore();
    }
}
