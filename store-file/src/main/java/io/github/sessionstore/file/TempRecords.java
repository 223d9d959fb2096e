package io.github.sessionstore.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

import io.github.sessionstore.core.StoredSession;

/**
 * A record's file before it takes its place: written whole under a unique temporary name beside it, then renamed over
 * it in one atomic step, so that a reader on any node sees the old file or the new one, never a part.
 */
final class TempRecords {

    private final Confinement confined;
    private final ShardLayout layout;
    private final boolean fsync;

    TempRecords(Confinement confined, ShardLayout layout, boolean fsync) {
        this.confined = confined;
        this.layout = layout;
        this.fsync = fsync;
    }

    /**
     * The complete file of {@code session} under a unique temp name in its shard directory, ready to be renamed: one
     * exclusive create, one gathering write, the expiry set as the mtime, then (with fsync) one force that covers
     * data and mtime alike. The shard directory is not checked before: it exists but on a session's first write, or
     * after an operator or another node removed it, and then the create fails with NoSuchFileException, the
     * directory is created and the create tried once more.
     */
    Path write(String key, StoredSession session) throws IOException {
        Path tmp = layout.uniqueDotFile(key, FileBackend.TEMP_SUFFIX);
        confined.prepare(tmp.getParent());
        ByteBuffer header = RecordFormat.header(session);
        ByteBuffer[] content = { header, ByteBuffer.wrap(session.data()) };
        FileTime mtime = FileTime.fromMillis(mtimeOf(session.expiresAt()));
        boolean written = false;
        try {
            try (FileChannel ch = createTemp(tmp)) {
                while (content[0].hasRemaining() || content[1].hasRemaining()) {
                    ch.write(content);
                }
                Confinement.setMtime(tmp, mtime);
                if (fsync) {
                    ch.force(true);
                }
            }
            written = true;
            return tmp;
        } finally {
            if (!written) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private FileChannel createTemp(Path tmp) throws IOException {
        try {
            return confined.modes().open(tmp);
        } catch (NoSuchFileException noDirectory) {
            confined.prepare(tmp.getParent()); // removed since the check, by an operator or another node
            return confined.modes().open(tmp);
        }
    }

    /** Renames {@code tmp} over {@code file} atomically, replacing what is there. */
    static void moveInto(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the session directory does not support atomic rename", e);
        }
    }

    /** A record file's mtime, which is its expiry: "never" is 2100-01-01. */
    static long mtimeOf(long expiresAt) {
        return expiresAt == StoredSession.NEVER ? FileBackend.NEVER_MTIME : expiresAt;
    }
}
