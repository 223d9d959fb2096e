package io.github.sessionstore.e2e;

/**
 * store-redis-<version>-tomcat.jar (Lettuce, netty, reactor relocated inside) on real Tomcat 11 and 10.1
 * distributions, against redis-server with an ACL user: every scenario on Tomcat 11, failover and round robin on
 * 10.1 as well.
 */
class RedisRealTomcatIT extends AbstractRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new RedisStoreFixture();
    }

    @Override
    protected boolean runsOn(TomcatDistribution dist, String scenario) {
        return newestOrCore(dist, scenario);
    }
}
