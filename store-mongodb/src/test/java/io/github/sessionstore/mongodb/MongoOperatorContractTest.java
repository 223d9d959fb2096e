package io.github.sessionstore.mongodb;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on MongoDB (or, without one, the in-JVM stand-in; see MongoFixture). */
class MongoOperatorContractTest extends OperatorContractTest {

    @RegisterExtension
    static final MongoFixture mongo = MongoFixture.perClass();

    @Override
    protected AbstractSessionStore newStore() {
        return mongo.newStore("operator");
    }
}
