package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.StoreContractTest;

class SharedFileStoreContractTest extends StoreContractTest {

    @TempDir
    static Path directory;

    @Override
    protected AbstractSessionStore newStore() {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(directory.toString());
        store.setFsync(false);
        return store;
    }

    /** The core's expiry sweep calls the backend's housekeeping: a node that died left a temporary file behind. */
    @Test
    void theExpirySweepRemovesWhatADeadNodeLeftBehind() throws Exception {
        FileBackend b = (FileBackend) nodeA.backend();
        Path orphan = tempFileOf(b, "DEADNODE0123456789");
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "half a record");
        Files.setLastModifiedTime(orphan,
                FileTime.fromMillis(System.currentTimeMillis() - 2 * FileBackend.ORPHAN_AGE_MILLIS));
        Path young = tempFileOf(b, "WRITING0123456789");
        Files.createDirectories(young.getParent());
        Files.writeString(young, "a record on its way");

        nodeA.store.processExpires();

        assertFalse(Files.exists(orphan), "removed by the housekeeping after the sweep");
        assertTrue(Files.exists(young), "a temporary file of a write in progress stays");
    }

    /** A temporary file as a write names it: beside the record, a dot file. */
    private static Path tempFileOf(FileBackend b, String key) throws java.io.IOException {
        return b.fileOf(key).resolveSibling("." + key + ".0123-1" + FileBackend.TEMP_SUFFIX);
    }
}
