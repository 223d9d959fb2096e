package io.github.sessionstore.memcached;

/** The same contract over memcached's text protocol (touch, gets/cas and multi-get work there too). */
class MemcachedTextProtocolContractTest extends MemcachedStoreContractTest {

    @Override
    protected String protocol() {
        return "text";
    }
}
