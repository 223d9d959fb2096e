package io.github.sessionstore.mongodb;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

class MongoTwoNodeIT extends AbstractTwoNodeIT {

    private static final AtomicInteger TESTS = new AtomicInteger();
    @RegisterExtension
    static final MongoFixture mongo = MongoFixture.perClass();

    /** Each test gets its own collection, so that no session of an earlier test is in the way. */
    private final String collection = "twonode_" + TESTS.incrementAndGet();

    /** Runs before the fixture stops (and after a start that found no MongoDB: then there is nothing to drop). */
    @AfterAll
    static void dropCollections() {
        if (mongo.uri() == null) {
            return;
        }
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            for (int i = 1; i <= TESTS.get(); i++) {
                client.getDatabase(MongoFixture.TEST_DATABASE).getCollection("twonode_" + i).drop();
                client.getDatabase(MongoFixture.TEST_DATABASE).getCollection("twonode_" + i + "_locks").drop();
            }
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        return mongo.newStore(collection);
    }

    /** The in-JVM stand-in server's own worker threads. */
    @Override
    protected boolean isServerThread(String threadName) {
        return threadName.startsWith("mongo-server-");
    }
}
