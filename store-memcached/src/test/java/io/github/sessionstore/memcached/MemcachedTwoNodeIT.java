package io.github.sessionstore.memcached;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

/** Two embedded Tomcats over one memcached. */
class MemcachedTwoNodeIT extends AbstractTwoNodeIT {

    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.perClass();
    static final String PREFIX = "i" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @Override
    protected AbstractSessionStore newStore() {
        return fixture.newStore(PREFIX);
    }

    /** memcached expires by TTL: no sweep, no sessionDestroyed on timeout. */
    @Override
    protected boolean sweepsExpiredSessions() {
        return false;
    }
}
