package io.github.sessionstore.mongodb;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

class MongoTwoNodeIT extends AbstractTwoNodeIT {

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static MongoFixture mongo;

    /** Each test gets its own collection, so that no session of an earlier test is in the way. */
    private final String collection = "twonode_" + TESTS.incrementAndGet();

    @BeforeAll
    static void startMongo() {
        mongo = MongoFixture.start();
    }

    @AfterAll
    static void stopMongo() {
        if (mongo == null) {
            return;
        }
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            for (int i = 1; i <= TESTS.get(); i++) {
                client.getDatabase(MongoFixture.TEST_DATABASE).getCollection("twonode_" + i).drop();
                client.getDatabase(MongoFixture.TEST_DATABASE).getCollection("twonode_" + i + "_locks").drop();
            }
        } finally {
            mongo.close();
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        MongoStore store = new MongoStore();
        store.setUri(mongo.uri());
        store.setDatabase(MongoFixture.TEST_DATABASE);
        store.setCollection(collection);
        return store;
    }

    /** The in-JVM stand-in server's own worker threads. */
    @Override
    protected boolean isServerThread(String threadName) {
        return threadName.startsWith("mongo-server-");
    }
}
