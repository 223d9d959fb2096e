package io.github.sessionstore.redis;

import java.util.UUID;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

/** The shared contract on a standalone Redis with an ACL user. */
@ExtendWith(SiblingStoreRunning.class)
class RedisStoreContractTest extends StoreContractTest {

    @RegisterExtension
    static final RedisFixture fixture = RedisFixture.perClass();
    /** A fresh prefix per run, so that an external server's leftovers never meet this run. */
    static final String PREFIX = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";


    @Override
    protected AbstractSessionStore newStore() {
        return fixture.newStore(PREFIX);
    }

    @Override
    protected String secret() {
        return fixture.password;
    }
}
