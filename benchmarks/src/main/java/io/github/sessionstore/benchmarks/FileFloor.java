package io.github.sessionstore.benchmarks;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;

/** Floor for FILE: write a temp file (forced to disk as the store does by default), set its mtime, rename it over. */
final class FileFloor implements Floor {

    private final Path dir;
    private final boolean fsync;
    private final AtomicLong seq = new AtomicLong();

    FileFloor(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    @Override
    public void write(String key, byte[] bytes, long expiresAt) throws Exception {
        Path tmp = dir.resolve('.' + key + '.' + seq.incrementAndGet() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        Files.setLastModifiedTime(tmp, FileTime.fromMillis(expiresAt));
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public byte[] read(String key) throws Exception {
        return Files.readAllBytes(dir.resolve(key));
    }

    @Override
    public void touch(String key, long expiresAt) throws Exception {
        Files.setLastModifiedTime(dir.resolve(key), FileTime.fromMillis(expiresAt));
    }

    @Override
    public void close() {
    }
}
