package io.github.sessionstore.memcached;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

/**
 * The shared contract on a memcached that requires SASL ({@code -S}), the store authenticating with
 * {@code username}/{@code password}: every session round trip of the suite passes through authenticated connections,
 * and the suite's JMX check finds the password in no attribute.
 */
class MemcachedSaslContractTest extends StoreContractTest {

    static final String USER = "tomcat";
    /** This run's password: nothing else knows it. */
    static final String PASSWORD = "pw-" + UUID.randomUUID();
    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.sasl(USER, PASSWORD);

    @Override
    protected AbstractSessionStore newStore() {
        MemcachedStore store = fixture.newStore(null);
        // The server runs with -I 8m, for the suite's 5 MB session
        store.setMaxSessionSize(7 * 1024 * 1024);
        return store;
    }

    @Override
    protected String secret() {
        return PASSWORD;
    }

    @Override
    protected boolean listsSessions() {
        return false;
    }
}
