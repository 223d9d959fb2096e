package io.github.sessionstore.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;

/**
 * A directory of the store opened for a sweep, reached from the root without following any link. Where the platform
 * has them (Linux, macOS: {@link SecureDirectoryStream}, i.e. openat/unlinkat), each directory is opened relative to
 * its parent's open handle with {@code O_NOFOLLOW}, and the entries are read and deleted relative to the open
 * directory: swapping a checked directory for a link while the sweep runs redirects nothing. Elsewhere the same
 * operations go by path, after {@link Confinement#entered}'s checks.
 */
final class ConfinedDir implements Closeable, Iterable<Path> {

    private static final LinkOption[] NOFOLLOW = { LinkOption.NOFOLLOW_LINKS };

    private final Confinement confined;
    private final Path path;
    private final DirectoryStream<Path> stream;
    /** The same stream where it is secure, else {@code null}. */
    private final SecureDirectoryStream<Path> secure;

    private ConfinedDir(Confinement confined, Path path, DirectoryStream<Path> stream) {
        this.confined = confined;
        this.path = path;
        this.stream = stream;
        this.secure = stream instanceof SecureDirectoryStream<Path> s ? s : null;
    }

    /** {@code dir} (below the root or the root itself), or {@code null} when it is missing or refused (logged). */
    static ConfinedDir open(Confinement confined, Path dir) throws IOException {
        ConfinedDir current = new ConfinedDir(confined, confined.root(), Files.newDirectoryStream(confined.root()));
        try {
            for (Path name : confined.root().relativize(dir)) {
                if (name.toString().isEmpty()) {
                    break; // the root itself
                }
                ConfinedDir next = current.child(name);
                current.close();
                current = next;
                if (current == null) {
                    return null;
                }
            }
            return current;
        } catch (IOException | RuntimeException e) {
            if (current != null) {
                current.close();
            }
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** The sub-directory {@code name} of this one, or {@code null} when it is missing or no real directory (logged). */
    ConfinedDir child(Path name) throws IOException {
        Path p = path.resolve(name.getFileName());
        if (secure == null) {
            return confined.entered(p) ? new ConfinedDir(confined, p, Files.newDirectoryStream(p)) : null;
        }
        BasicFileAttributes a;
        try {
            a = attributes(p);
        } catch (NoSuchFileException missing) {
            return null;
        }
        if (!a.isDirectory()) {
            confined.refused(p, a);
            return null;
        }
        try {
            return new ConfinedDir(confined, p, secure.newDirectoryStream(p.getFileName(), NOFOLLOW));
        } catch (NoSuchFileException missing) {
            return null;
        } catch (IOException swapped) {
            // replaced by a link or a file since the look (the JDK reports the refused O_NOFOLLOW as ELOOP)
            BasicFileAttributes now;
            try {
                now = attributes(p);
            } catch (NoSuchFileException gone) {
                return null;
            }
            if (!now.isDirectory()) {
                confined.refused(p, now);
                return null;
            }
            throw swapped;
        }
    }

    /** The entries' paths (this directory's path and their name); read them with this object's methods. */
    @Override
    public Iterator<Path> iterator() {
        return stream.iterator();
    }

    /** The attributes of the entry {@code p} itself, never a link's target. */
    BasicFileAttributes attributes(Path p) throws IOException {
        if (secure == null) {
            return Confinement.attributes(p);
        }
        return secure.getFileAttributeView(p.getFileName(), BasicFileAttributeView.class, NOFOLLOW).readAttributes();
    }

    /** Deletes the entry {@code p} of this directory (a file; a link itself, never its target); false if gone. */
    boolean delete(Path p) throws IOException {
        try {
            if (secure == null) {
                return Files.deleteIfExists(p);
            }
            secure.deleteFile(p.getFileName());
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** Removes the sub-directory {@code p} of this directory if it is empty; false if it is not, is none, or gone. */
    boolean deleteIfEmpty(Path p) throws IOException {
        try {
            if (!attributes(p).isDirectory()) {
                return false; // a link or a stray file: left alone
            }
            if (secure == null) {
                return Files.deleteIfExists(p);
            }
            secure.deleteDirectory(p.getFileName());
            return true;
        } catch (NoSuchFileException | DirectoryNotEmptyException notNow) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
