package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on MongoDB (or, without one, the in-JVM stand-in; see MongoFixture). */
class MongoOperatorContractTest extends OperatorContractTest {

    private static MongoFixture mongo;

    @BeforeAll
    static void startMongo() {
        mongo = MongoFixture.start();
    }

    @AfterAll
    static void stopMongo() {
        if (mongo != null) {
            mongo.close();
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        MongoStore store = new MongoStore();
        store.setUri(mongo.uri());
        store.setDatabase(MongoFixture.TEST_DATABASE);
        store.setCollection("operator");
        return store;
    }
}
