package io.github.sessionstore.mongodb;

/**
 * The e2e suite's door to store-mongodb's {@code MongoFixture.StandIn} (its test-jar): mongo-java-server with its
 * in-memory backend, in the test JVM, on a loopback port the Tomcat processes connect to over TCP. A wire-protocol
 * stand-in, not MongoDB.
 */
public final class E2eMongoStandIn implements AutoCloseable {

    private final MongoFixture.StandIn standIn;

    private E2eMongoStandIn(MongoFixture.StandIn standIn) {
        this.standIn = standIn;
    }

    /** Binds on 127.0.0.1:{@code port} (0: any free port). */
    public static E2eMongoStandIn start(int port) {
        return new E2eMongoStandIn(MongoFixture.StandIn.start(port));
    }

    public int port() {
        return standIn.port();
    }

    /** e.g. {@code mongo-java-server 1.47.0 (in-JVM stand-in, not MongoDB) on port 40553}. */
    public String label() {
        return standIn.label();
    }

    @Override
    public void close() {
        standIn.close();
    }
}
