package io.github.sessionstore.file;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.AbstractOutageIT;
import io.github.sessionstore.core.AbstractSessionStore;

/**
 * The shared outage scenario with the shared directory taken away (a regular file takes its place, so even root
 * cannot write) and given back.
 */
class SharedFileStoreOutageIT extends AbstractOutageIT {

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("sessions");
    }

    @Override
    protected AbstractSessionStore newStore() {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(dir().toString());
        return store;
    }

    @Override
    protected void cut() throws Exception {
        Files.move(dir(), tmp.resolve("sessions.parked"));
        Files.writeString(dir(), "not a directory");
    }

    @Override
    protected void restore() throws Exception {
        Files.delete(dir());
        Files.move(tmp.resolve("sessions.parked"), dir());
    }

    @Override
    protected int users() {
        return 8;
    }
}
