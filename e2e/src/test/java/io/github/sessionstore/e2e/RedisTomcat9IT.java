package io.github.sessionstore.e2e;

/** store-redis-<version>-tomcat9.jar (Lettuce, netty, reactor relocated inside) on the real Tomcat 9.0 distribution. */
class RedisTomcat9IT extends AbstractTomcat9IT {

    @Override
    protected StoreFixture backendFixture() {
        return new RedisStoreFixture();
    }
}
