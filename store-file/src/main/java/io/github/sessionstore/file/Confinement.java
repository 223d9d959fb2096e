package io.github.sessionstore.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Keeps the store inside its root. The root is resolved once (the operator may have made it a link); below it no
 * link is ever followed: every directory the store enters is checked to be a real directory from the root down, every
 * file is opened with {@code NOFOLLOW_LINKS}, only regular files are opened at all (opening a FIFO blocks), and a read
 * is bounded by its file's size as the opened file gives it, refused above the caller's limit before it starts. A
 * planted link or foreign file is logged once (its path relative to the root, sanitized) and left alone.
 * <p>
 * Limit: the checks of the directories are made before the file operation they guard, by path; someone who can write
 * to the root and swaps a checked directory for a link in between still redirects that one operation.
 */
final class Confinement {

    private static final Log log = LogFactory.getLog(Confinement.class);
    private static final StringManager sm = StringManager.getManager(Confinement.class);
    private static final LinkOption[] NOFOLLOW = { LinkOption.NOFOLLOW_LINKS };
    private static final int MAX_LOGGED = 1000;
    private static final int MAX_LOGGED_PATH = 200;

    /** How a file's bytes are read once it passed the checks; {@code in} ends at the size the opened file had. */
    @FunctionalInterface
    interface Reading<T> {
        T read(InputStream in, long size, long mtime) throws IOException;
    }

    private final Path root;
    private final FileModes modes;
    /** The refusals logged lately, so that each is logged once (bounded). */
    private final Map<String, Boolean> logged = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_LOGGED;
        }
    };

    private Confinement(Path root, FileModes modes) {
        this.root = root;
        this.modes = modes;
    }

    /** The configured root, created if missing (with the directory mode), resolved to its real path once. */
    static Confinement of(Path configured, String fileMode) throws IOException {
        Path dir = configured.toAbsolutePath().normalize();
        FileModes modes = FileModes.of(fileMode, dir.getFileSystem());
        boolean created = false;
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                modes.createDirectory(dir);
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // made by another node meanwhile
            }
        }
        Path real = dir.toRealPath();
        modes.probe(real);
        if (created) {
            modes.widenDirectory(real);
        }
        return new Confinement(real, modes);
    }

    Path root() {
        return root;
    }

    FileModes modes() {
        return modes;
    }

    /** The attributes of {@code p} itself, never of what a link at {@code p} points to. */
    static BasicFileAttributes attributes(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    }

    /**
     * Whether {@code dir} and every directory between the root and it exist and are real directories: false when one
     * is missing, and when one is a link or no directory (logged once).
     *
     * @throws IOException when the root itself is gone (the mount went away): an outage, not an absent record
     */
    boolean entered(Path dir) throws IOException {
        Path rel = relative(dir);
        Path p = root;
        for (Path name : rel) {
            p = p.resolve(name);
            BasicFileAttributes a;
            try {
                a = attributes(p);
            } catch (NoSuchFileException missing) {
                requireRoot();
                return false;
            }
            if (!a.isDirectory()) {
                refused(p, a);
                return false;
            }
        }
        return true;
    }

    /**
     * Makes sure {@code dir} and every directory between the root and it are real directories, creating the missing
     * ones with the directory mode.
     *
     * @throws IOException when one is a link or no directory (logged once): nothing is written through it
     */
    void prepare(Path dir) throws IOException {
        Path rel = relative(dir);
        Path p = root;
        for (Path name : rel) {
            p = p.resolve(name);
            BasicFileAttributes a;
            try {
                a = attributes(p);
            } catch (NoSuchFileException missing) {
                try {
                    modes.createDirectory(p);
                    continue;
                } catch (FileAlreadyExistsException raced) {
                    a = attributes(p); // created by another node meanwhile, or planted
                }
            }
            if (!a.isDirectory()) {
                refused(p, a);
                throw new IOException("refused to write through " + kind(a) + " in the store directory: "
                        + forLog(p));
            }
        }
    }

    /** Fails when the root is no longer a directory; only looked at when something below it is missing. */
    private void requireRoot() throws IOException {
        if (!Files.isDirectory(root, NOFOLLOW)) {
            throw new IOException("the session directory is gone: " + root);
        }
    }

    private Path relative(Path dir) throws IOException {
        if (!dir.startsWith(root)) {
            throw new IOException("refused a path outside the store directory");
        }
        return root.relativize(dir);
    }

    /**
     * Reads the regular file {@code file} with {@code reading}, or {@code null} when it is missing, or is a link or
     * not a regular file, or is larger than {@code maxSize} (each refusal logged once). The type is checked before the
     * open (a FIFO would block it), and the open refuses a link put there since; the size is the opened file's, so
     * that a file growing meanwhile is not read further.
     *
     * @param mtimeAfterOpen take the mtime after the open, so that a file replaced meanwhile never pairs its content
     *            with an older file's mtime (one more metadata read)
     */
    <T> T read(Path file, long maxSize, boolean mtimeAfterOpen, Reading<T> reading) throws IOException {
        return read(file, maxSize, mtimeAfterOpen, reading, null);
    }

    /**
     * As {@link #read(Path, long, boolean, Reading)}, but a regular file larger than {@code maxSize} is handed to
     * {@code oversized} (which reads no more than it needs, e.g. the header) instead of reading as {@code null}.
     */
    <T> T read(Path file, long maxSize, boolean mtimeAfterOpen, Reading<T> reading, Reading<T> oversized)
            throws IOException {
        BasicFileAttributes a;
        try {
            a = attributes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile()) {
            refused(file, a);
            return null;
        }
        SeekableByteChannel opened;
        try {
            opened = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            BasicFileAttributes now;
            try {
                now = attributes(file);
            } catch (NoSuchFileException gone) {
                return null;
            }
            if (!now.isRegularFile()) {
                refused(file, now); // swapped for a link between the check and the open (the JDK's ELOOP)
                return null;
            }
            throw e;
        }
        try (SeekableByteChannel ch = opened) {
            long size = ch.size();
            if (size > maxSize && oversized != null) {
                return oversized.read(new BoundedInputStream(Channels.newInputStream(ch), size), size,
                        a.lastModifiedTime().toMillis());
            }
            if (size > maxSize) {
                once("size " + file, sm.getString("file.oversizeFile", Long.toString(size), Long.toString(maxSize),
                        forLog(file)));
                return null;
            }
            long mtime = mtimeAfterOpen ? attributes(file).lastModifiedTime().toMillis()
                    : a.lastModifiedTime().toMillis();
            return reading.read(new BoundedInputStream(Channels.newInputStream(ch), size), size, mtime);
        } catch (NoSuchFileException e) {
            return null; // replaced meanwhile, before the mtime was read
        }
    }

    /** Sets the modification time of {@code file} itself (a link's own, never its target's). */
    static void setMtime(Path file, FileTime mtime) throws IOException {
        // given both times, the JDK sets them without reading the current ones first
        Files.getFileAttributeView(file, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, mtime, null);
    }

    /** Logs once that {@code p} is left alone: a link, or not what the store keeps there. */
    void refused(Path p, BasicFileAttributes a) {
        once("type " + p, sm.getString("file.leftAlone", kind(a), forLog(p)));
    }

    private static String kind(BasicFileAttributes a) {
        return sm.getString(a.isSymbolicLink() ? "file.kind.link" : a.isDirectory() ? "file.kind.directory"
                : a.isRegularFile() ? "file.kind.file" : "file.kind.special");
    }

    private void once(String what, String message) {
        synchronized (logged) {
            if (logged.put(what, Boolean.TRUE) != null) {
                return;
            }
        }
        log.warn(message);
    }

    /** {@code p} relative to the root, printable ASCII only, bounded: names in the directory are untrusted input. */
    String forLog(Path p) {
        String rel = p.startsWith(root) ? root.relativize(p).toString() : p.getFileName().toString();
        StringBuilder sb = new StringBuilder(Math.min(rel.length(), MAX_LOGGED_PATH) + 16);
        for (int i = 0; i < rel.length() && i < MAX_LOGGED_PATH; i++) {
            char c = rel.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (rel.length() > MAX_LOGGED_PATH) {
            sb.append("...(").append(rel.length()).append(" chars)");
        }
        return sb.toString();
    }

    /** Ends at {@code remaining} bytes, whatever the channel behind would still give. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
