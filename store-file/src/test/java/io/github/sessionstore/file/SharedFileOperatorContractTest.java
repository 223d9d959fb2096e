package io.github.sessionstore.file;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.OperatorContractTest;

/** The operator features' contract on a shared directory. */
class SharedFileOperatorContractTest extends OperatorContractTest {

    @TempDir
    static Path directory;

    @Override
    protected AbstractSessionStore newStore() {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(directory.toString());
        store.setFsync(false);
        return store;
    }
}
