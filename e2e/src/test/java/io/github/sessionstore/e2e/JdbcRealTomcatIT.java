package io.github.sessionstore.e2e;

import org.junit.jupiter.api.AfterAll;

/**
 * store-jdbc-<version>-tomcat.jar (HikariCP, Connector/J, pgjdbc, slf4j relocated inside) against a local mariadbd:
 * every scenario on Tomcat 11; failover, round robin and the lifecycle scenarios (sticky bounce, async logout) on 10.1
 * as well.
 */
class JdbcRealTomcatIT extends AbstractRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new MariaDbStoreFixture();
    }

    @Override
    protected boolean runsOn(TomcatDistribution dist, String scenario) {
        return newestOrCore(dist, scenario) || lifecycle(scenario);
    }

    @AfterAll
    static void stopDatabase() {
        MariaDbStoreFixture.stopShared();
    }
}
