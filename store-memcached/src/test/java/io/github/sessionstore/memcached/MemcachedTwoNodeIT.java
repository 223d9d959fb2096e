package io.github.sessionstore.memcached;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

/** Two embedded Tomcats over one memcached. */
class MemcachedTwoNodeIT extends AbstractTwoNodeIT {

    static MemcachedFixture fixture;
    static final String PREFIX = "i" + UUID.randomUUID().toString().substring(0, 8) + ":";

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

    /** memcached expires by TTL: no sweep, no sessionDestroyed on timeout. */
    @Override
    protected boolean sweepsExpiredSessions() {
        return false;
    }
}
