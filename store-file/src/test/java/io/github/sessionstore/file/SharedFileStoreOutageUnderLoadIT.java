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
 * a symbolic link to the real directory; the outage swaps it, atomically (rename over the link), for a link to a
 * regular file, so every read and write under it fails, as when a network mount goes away, and the repair swaps it
 * back. This holds for root too (chmod does not stop root), and the atomic swap leaves no moment in which a write
 * under load could create a fresh, empty directory in the real one's place.
 */
class SharedFileStoreOutageUnderLoadIT extends AbstractOutageUnderLoadIT {

    @TempDir
    Path tmp;

    private Path link;
    private Path realDir;
    private Path notADirectory;

    @BeforeEach
    void createDirectory() throws Exception {
        realDir = Files.createDirectories(tmp.resolve("sessions-real"));
        notADirectory = Files.writeString(tmp.resolve("not-a-directory"), "the session directory is gone");
        link = tmp.resolve("sessions");
        Files.createSymbolicLink(link, realDir);
    }

    @Override
    protected AbstractSessionStore newStore() {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(link.toString());
        return store;
    }

    @Override
    protected void breakStore() throws Exception {
        pointLinkTo(notADirectory);
    }

    @Override
    protected void repairStore() throws Exception {
        pointLinkTo(realDir);
    }

    private void pointLinkTo(Path target) throws Exception {
        Path next = tmp.resolve("sessions.next");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, target);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
