package io.github.sessionstore.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.AbstractOutageUnderLoadIT;
import io.github.sessionstore.core.AbstractSessionStore;

/**
 * The shared directory stops being a writable directory under load and comes back. The store's {@code directory} is
 * {@code mnt/sessions}; the outage renames the mount point {@code mnt} away and puts a regular file in its place, so
 * every read and write under it fails, as when a network mount goes away, and the repair puts it back. This holds for
 * root too (chmod does not stop root). (The store resolves its directory once, at start, and follows no link below
 * it, so the outage cannot be a swapped link any more.) Between the two renames the directory is missing for an
 * instant, which the store also takes as an outage: it never creates its root again, only what is below it.
 */
class SharedFileStoreOutageUnderLoadIT extends AbstractOutageUnderLoadIT {

    @TempDir
    Path tmp;

    private Path mount;
    private Path away;
    private Path notADirectory;

    @BeforeEach
    void createDirectory() throws Exception {
        mount = Files.createDirectories(tmp.resolve("mnt"));
        away = tmp.resolve("mnt.away");
        notADirectory = Files.writeString(tmp.resolve("not-a-directory"), "the session directory is gone");
    }

    @Override
    protected AbstractSessionStore newStore() {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(mount.resolve("sessions").toString());
        return store;
    }

    @Override
    protected void breakStore() throws Exception {
        Files.move(mount, away, StandardCopyOption.ATOMIC_MOVE);
        Files.move(notADirectory, mount, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    protected void repairStore() throws Exception {
        Files.move(mount, notADirectory, StandardCopyOption.ATOMIC_MOVE);
        Files.move(away, mount, StandardCopyOption.ATOMIC_MOVE);
    }
}
