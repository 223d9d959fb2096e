package io.github.sessionstore.memcached;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

/** The shared contract on memcached (binary protocol); expiry is native TTL, so the suite skips the sweep checks. */
class MemcachedStoreContractTest extends StoreContractTest {

    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.perClass();
    /** A fresh prefix per run, so that an external server's leftovers never meet this run. */
    static final String PREFIX = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";

    protected String protocol() {
        return "binary";
    }

    @Override
    protected AbstractSessionStore newStore() {
        MemcachedStore store = fixture.newStore(PREFIX);
        store.setProtocol(protocol());
        // The fixture's servers run with -I 8m, for the suite's 5 MB session
        store.setMaxSessionSize(7 * 1024 * 1024);
        return store;
    }

    @Override
    protected boolean listsSessions() {
        return false;
    }
}
