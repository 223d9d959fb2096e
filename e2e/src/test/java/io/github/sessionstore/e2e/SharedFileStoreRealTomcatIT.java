package io.github.sessionstore.e2e;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** store-file-<version>-tomcat.jar on real Tomcat 11 and 10.1 distributions. */
class SharedFileStoreRealTomcatIT extends AbstractRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new SharedFileStoreFixture();
    }

    Stream<TomcatDistribution> newestLine() {
        return TomcatDistribution.newest().stream();
    }

    /**
     * Scenario 6 under {@code classAllowList="jdk-safe"}: the allow-list admits what Tomcat writes for a login (the
     * principal's serialized form, the saved request), so a FORM login survives SIGKILL of its node.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newestLine")
    void formLoginUnderJdkSafeSurvivesFailover(TomcatDistribution dist) throws Exception {
        formLoginSurvivesFailover(dist, "classAllowList=\"jdk-safe\"");
    }

    /** Scenario 10 (parallel deployment): on Tomcat 11, and on one backend, as the namespace is store-core's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newestLine")
    void parallelDeploymentVersionsShareTheirSessions(TomcatDistribution dist) throws Exception {
        super.parallelDeploymentVersionsShareTheirSessions(dist);
    }

    /** Scenario 9 (Servlet 6.1's accessor): on Tomcat 11, and on one backend, as the policy is store-core's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newestLine")
    void accessorChangeAfterTheResponseSurvivesSigkill(TomcatDistribution dist) throws Exception {
        super.accessorChangeAfterTheResponseSurvivesSigkill(dist);
    }
}
