package io.github.sessionstore.memcached;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on memcached; it cannot list keys, so the listing checks are skipped. */
class MemcachedOperatorContractTest extends OperatorContractTest {

    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.perClass();
    /** A fresh prefix per run, so that an external server's leftovers never meet this run. */
    static final String PREFIX = "o" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @Override
    protected AbstractSessionStore newStore() {
        return fixture.newStore(PREFIX);
    }

    @Override
    public boolean listsSessions() {
        return false;
    }
}
