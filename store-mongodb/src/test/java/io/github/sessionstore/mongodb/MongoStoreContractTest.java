package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

class MongoStoreContractTest extends StoreContractTest {

    @RegisterExtension
    static final MongoFixture mongo = MongoFixture.perClass();

    /** Only a provided MongoDB with authentication has one; the stand-in does not authenticate. */
    @Override
    protected String secret() {
        return mongo.password();
    }

    @Override
    protected AbstractSessionStore newStore() {
        return mongo.newStore("contract");
    }
}
