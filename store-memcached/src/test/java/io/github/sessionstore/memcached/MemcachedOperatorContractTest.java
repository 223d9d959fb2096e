package io.github.sessionstore.memcached;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on memcached; it cannot list keys, so the listing checks are skipped. */
class MemcachedOperatorContractTest extends OperatorContractTest {

    static MemcachedFixture fixture;
    /** A fresh prefix per run, so that an external server's leftovers never meet this run. */
    static final String PREFIX = "o" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void startMemcached() throws Exception {
        fixture = MemcachedFixture.start();
    }

    @AfterAll
    static void stopMemcached() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected AbstractSessionStore newStore() {
        MemcachedStore store = new MemcachedStore();
        store.setServers(fixture.servers);
        store.setKeyPrefix(PREFIX);
        return store;
    }

    @Override
    public boolean listsSessions() {
        return false;
    }
}
