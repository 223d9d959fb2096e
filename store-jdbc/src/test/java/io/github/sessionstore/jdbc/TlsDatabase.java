package io.github.sessionstore.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.sessionstore.core.testkit.ClassFixture;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TestTls;

/**
 * A local database server with TLS for a test class ({@code @RegisterExtension static final TlsDatabase<…> tlsDb =
 * TlsDatabase.perClass("clouddoc-mysql", tls -> MariaDbFixture.local(…));}): a CA and a certificate for localhost
 * made in a temp dir ({@link TestTls}), then the server made of them, started; the server stopped and the temp dir
 * deleted after the class.
 */
final class TlsDatabase<D extends DatabaseFixture> extends ClassFixture {

    /** The (local-only) database server that serves with {@code tls}. */
    interface Server<D> {
        D with(TestTls tls) throws Exception;
    }

    private final String name;
    private final Server<D> server;
    TestTls tls;
    D db;

    private TlsDatabase(String name, Server<D> server) {
        this.name = name;
        this.server = server;
    }

    /** {@code name} names the temp dir ({@code sessionstore-<name>-…}). */
    static <D extends DatabaseFixture> TlsDatabase<D> perClass(String name, Server<D> server) {
        return new TlsDatabase<>(name, server);
    }

    @Override
    protected void start() throws Exception {
        Path dir = Files.createTempDirectory("sessionstore-" + name + "-");
        own(() -> ServerProcess.deleteTree(dir));
        tls = TestTls.create(dir);
        db = own(server.with(tls));
        db.start();
    }
}
