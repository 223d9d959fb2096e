package io.github.sessionstore.redis;

import java.util.UUID;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on a standalone Redis with an ACL user. */
@ExtendWith(SiblingStoreRunning.class)
class RedisOperatorContractTest extends OperatorContractTest {

    @RegisterExtension
    static final RedisFixture fixture = RedisFixture.perClass();
    /** A fresh prefix per run, so that an external server's leftovers never meet this run. */
    static final String PREFIX = "o" + UUID.randomUUID().toString().substring(0, 8) + ":";


    @Override
    protected AbstractSessionStore newStore() {
        return fixture.newStore(PREFIX);
    }
}
