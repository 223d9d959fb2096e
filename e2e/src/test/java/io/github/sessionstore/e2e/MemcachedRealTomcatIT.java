package io.github.sessionstore.e2e;

/**
 * store-memcached-<version>-tomcat.jar (spymemcached relocated inside) on real Tomcat 11 and 10.1 distributions,
 * against two memcached processes (the README's two-server setup, with backup).
 */
class MemcachedRealTomcatIT extends AbstractRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new MemcachedFixture();
    }
}
