package io.github.sessionstore.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

import io.github.sessionstore.core.testkit.Fixtures;

/**
 * What every real-Tomcat suite shares: one backend fixture and the node processes of each test, in a work directory
 * named after the test, all stopped after it, pass or fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealTomcatSuite {

    /** A new fixture of the backend under test; called once per test. */
    protected abstract StoreFixture newFixture();

    StoreFixture fixture;
    Nodes nodes;
    String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = getClass().getSimpleName() + "/" + info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Starts the backend for this test on {@code dist}; every node of the test runs that distribution. */
    void begin(TomcatDistribution dist) throws Exception {
        Path dir = E2eSettings.work().resolve(testName + "-" + dist.version());
        fixture = newFixture();
        try {
            fixture.start(dir);
        } catch (Exception e) {
            throw Fixtures.unavailable(fixture.backend(), e.toString());
        }
        nodes = new Nodes(dist, dir);
        Fixtures.announce(fixture.backend(), dist + ", " + testName);
    }

    /** A node with the README's context.xml: the given Manager and Store attributes on top of the fixture's. */
    NodeConfig node(String name, String managerAttributes, String storeAttributes) {
        return NodeConfig.of(name, NodeConfig.persistentManager(managerAttributes, fixture.storeElement(storeAttributes)),
                fixture.libs()).withEnvironment(fixture.nodeEnvironment())
                .withCatalinaProperties(fixture.catalinaProperties());
    }

    /** A node whose context.xml names the Manager {@code className} instead of PersistentManager. */
    NodeConfig nodeWithManager(String name, String className) {
        return NodeConfig.of(name, NodeConfig.manager(className, "", fixture.storeElement("")), fixture.libs())
                .withEnvironment(fixture.nodeEnvironment()).withCatalinaProperties(fixture.catalinaProperties());
    }

    NodeConfig node(String name) {
        return node(name, "", "");
    }
}
