package io.github.sessionstore.redis;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

/** Two embedded Tomcats over one standalone Redis (and the lifecycle suite it extends). */
class RedisTwoNodeIT extends AbstractTwoNodeIT {

    /** Every test but the one that checks what the last stop leaves behind runs beside a sibling store. */
    @RegisterExtension
    static final SiblingStoreRunning SIBLING = SiblingStoreRunning.except("stopAndReloadLeaveNoThreadBehind");

    @RegisterExtension
    static final RedisFixture fixture = RedisFixture.perClass();
    static final String PREFIX = "i" + UUID.randomUUID().toString().substring(0, 8) + ":";


    @Override
    protected AbstractSessionStore newStore() {
        return fixture.newStore(PREFIX);
    }
}
