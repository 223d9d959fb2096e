package io.github.sessionstore.e2e;

/**
 * store-mongodb-<version>-tomcat.jar (the sync driver, bson, slf4j relocated inside) against mongo-java-server, an
 * in-JVM wire-protocol stand-in, not MongoDB: every scenario on Tomcat 11, failover and round robin on 10.1 as well.
 */
class MongoRealTomcatIT extends AbstractRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new MongoStandInFixture();
    }

    @Override
    protected boolean runsOn(TomcatDistribution dist, String scenario) {
        return newestOrCore(dist, scenario);
    }
}
