package io.github.sessionstore.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permissions every file and directory of the store is created with: {@code fileMode} (default {@code 600}) for
 * records, lease, claim, temp and index files, and the same with the execute bits for directories ({@code 700}). The
 * mode is given at creation, so no file is ever readable by more than it allows, whatever the umask. A umask that
 * removes bits the mode grants (022 and {@code 660}) leaves a file narrower at first; it is widened to the mode right
 * after (never beyond it). On a file system without POSIX permissions, files are created as it creates them.
 */
final class FileModes {

    static final String DEFAULT = "600";
    static final String RULE = "must be three octal digits: 6 for the owner, 0, 4 or 6 for the group, 0 for others"
            + " (600, 640 or 660)";

    private final Set<PosixFilePermission> file;
    private final Set<PosixFilePermission> dir;
    private final FileAttribute<?>[] fileAttributes;
    private final FileAttribute<?>[] dirAttributes;
    /** Whether the umask takes bits away from the mode, so that each creation is followed by a chmod. */
    private volatile boolean widen;

    private FileModes(String mode, boolean posix) {
        int group = mode.charAt(1) - '0';
        this.file = PosixFilePermissions.fromString("rw-" + bits(group, false) + "---");
        this.dir = PosixFilePermissions.fromString("rwx" + bits(group, true) + "---");
        this.fileAttributes = posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(file) }
                : new FileAttribute<?>[0];
        this.dirAttributes = posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(dir) }
                : new FileAttribute<?>[0];
    }

    private static String bits(int group, boolean dir) {
        String x = dir && group != 0 ? "x" : "-";
        return (group >= 4 ? "r" : "-") + (group == 6 ? "w" : "-") + x;
    }

    /** Why {@code mode} is not a mode the store takes, or {@code null}; the reason never quotes the value. */
    static String refusal(String mode) {
        if (mode == null || mode.length() != 3 || mode.charAt(0) != '6' || mode.charAt(2) != '0'
                || "046".indexOf(mode.charAt(1)) < 0) {
            return RULE;
        }
        return null;
    }

    /** The modes of {@code mode} (already checked by {@link #refusal}) on {@code fs}: POSIX or not. */
    static FileModes of(String mode, FileSystem fs) {
        return new FileModes(mode, fs.supportedFileAttributeViews().contains("posix"));
    }

    /**
     * Finds out whether the umask narrows what is created in {@code root} (an existing directory), by creating one
     * probe file there; if so, each later creation is widened to the mode. Where the mode cannot be set after all
     * (a file system that keeps none), files stay as created.
     */
    void probe(Path root) throws IOException {
        if (fileAttributes.length == 0) {
            return;
        }
        Path probe = root.resolve(".mode-probe-" + Long.toHexString(System.nanoTime()) + FileBackend.TEMP_SUFFIX);
        try {
            createFile(probe);
            if (!Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS).equals(file)) {
                try {
                    widen(probe, file);
                    widen = true;
                } catch (IOException | UnsupportedOperationException noModes) {
                    widen = false;
                }
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Gives {@code dir} (made by the store) the directory mode, where the umask narrowed it. */
    void widenDirectory(Path dir) throws IOException {
        if (widen) {
            widen(dir, this.dir);
        }
    }

    /** The file mode as {@code ls} shows it ({@code rw-------}), for the description. */
    String describe() {
        return PosixFilePermissions.toString(file);
    }

    /** A new file at {@code path} (exclusive create: it fails on anything there, a link included), open to write. */
    FileChannel open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                fileAttributes);
        if (widen) {
            try {
                widen(path, file);
            } catch (IOException | RuntimeException e) {
                ch.close();
                Files.deleteIfExists(path);
                throw e;
            }
        }
        return ch;
    }

    /** A new empty file at {@code path}; {@link FileAlreadyExistsException} when anything is there. */
    void createFile(Path path) throws IOException {
        open(path).close();
    }

    /** A new directory at {@code path}; {@link FileAlreadyExistsException} when anything is there. */
    void createDirectory(Path path) throws IOException {
        Files.createDirectory(path, dirAttributes);
        widenDirectory(path);
    }

    /** Sets what the umask took away; never through a link (the path was just created by us, and must still be). */
    private static void widen(Path path, Set<PosixFilePermission> mode) throws IOException {
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(mode);
    }
}
