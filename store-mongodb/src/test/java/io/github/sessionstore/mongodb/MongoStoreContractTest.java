package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.mongodb.ConnectionString;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

class MongoStoreContractTest extends StoreContractTest {

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

    /** Only a provided MongoDB with authentication has one; the stand-in does not authenticate. */
    @Override
    protected String secret() {
        char[] password = new ConnectionString(mongo.uri()).getPassword();
        return password == null ? null : new String(password);
    }

    @Override
    protected AbstractSessionStore newStore() {
        MongoStore store = new MongoStore();
        store.setUri(mongo.uri());
        store.setDatabase(MongoFixture.TEST_DATABASE);
        store.setCollection("contract");
        return store;
    }
}
