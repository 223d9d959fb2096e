package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.mongodb.E2eMongoStandIn;

/**
 * MongoStore against mongo-java-server, the in-JVM stand-in of store-mongodb's tests (NOT MongoDB): it runs in the
 * test JVM on a loopback port and the Tomcat processes connect to it over TCP. The context.xml is the one of
 * store-mongodb's README minus what the stand-in cannot do: no credentials (it has no authentication, so no
 * {@code ${MONGODB_PASSWORD}}), no replicaSet, authSource or TLS; write concern, journal, read preference and
 * retryWrites as documented.
 */
final class MongoStandInFixture implements StoreFixture {

    private E2eMongoStandIn standIn;
    private int port;

    @Override
    public String backend() {
        return "mongodb-stand-in (mongo-java-server, not MongoDB)";
    }

    @Override
    public List<Path> libs() {
        return List.of(E2eSettings.dropIn("store-mongodb"));
    }

    @Override
    public void start(Path workDir) {
        standIn = E2eMongoStandIn.start(0);
        port = standIn.port();
        Fixtures.announce("MongoDB", standIn.label());
    }

    @Override
    public String storeElement(String extraAttributes) {
        return "<Store className=\"io.github.sessionstore.mongodb.MongoStore\"\n"
                + "           uri=\"mongodb://127.0.0.1:" + port
                + "/?w=majority&amp;journal=true&amp;readPreference=primary&amp;retryWrites=true\"\n"
                + "           database=\"tomcat\"\n"
                + "           collection=\"sessions\"\n"
                + "           ttlGraceSeconds=\"3600\"\n"
                + "           operationTimeout=\"3000\""
                + (extraAttributes.isEmpty() ? "" : " " + extraAttributes) + "/>";
    }

    /** The stand-in stops; the nodes then start against a closed port. */
    @Override
    public void makeUnavailable() {
        standIn.close();
        standIn = null;
    }

    /** A new stand-in on the same port. */
    @Override
    public void makeAvailable() {
        standIn = E2eMongoStandIn.start(port);
    }

    @Override
    public void close() {
        if (standIn != null) {
            standIn.close();
            standIn = null;
        }
    }
}
