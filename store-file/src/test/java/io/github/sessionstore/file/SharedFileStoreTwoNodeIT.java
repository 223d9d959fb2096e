package io.github.sessionstore.file;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.AbstractTwoNodeIT;

class SharedFileStoreTwoNodeIT extends AbstractTwoNodeIT {

    @TempDir
    Path directory;

    @Override
    protected AbstractSessionStore newStore() {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(directory.toString());
        return store;
    }
}
