package io.github.sessionstore.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Where the files of one namespace live: {@code <root>/<namespace dir>/<2 hex shard>/<name>}, 256 shards chosen by
 * the key's hash. Every path handed out is a plain name inside its shard directory (the containment check of
 * CVE-2020-9484); the shard directories are resolved once.
 */
final class ShardLayout {

    static final int SHARDS = 256;
    /** The shard directory names, {@code 00} to {@code ff}. */
    private static final String[] SHARD_NAMES = new String[SHARDS];

    static {
        for (int i = 0; i < SHARDS; i++) {
            SHARD_NAMES[i] = Character.forDigit(i >>> 4, 16) + "" + Character.forDigit(i & 0xf, 16);
        }
    }

    private final Path base;
    private final Path[] shardDirs = new Path[SHARDS];
    /**
     * Temp and claim names: {@code .<key>.<instance>-<seq><suffix>}. The instance part is random per layout, so names
     * of different nodes (and of a restarted one) do not collide; the files are created exclusively anyway.
     */
    private final String instance = Long.toHexString(UUID.randomUUID().getLeastSignificantBits());
    private final AtomicLong sequence = new AtomicLong();

    ShardLayout(Path root, String namespace) {
        this.base = root.resolve(namespaceDir(namespace));
        for (int i = 0; i < SHARDS; i++) {
            shardDirs[i] = base.resolve(SHARD_NAMES[i]);
        }
    }

    /** A directory name for a namespace: its safe characters plus a hash, so distinct namespaces never collide. */
    static String namespaceDir(String namespace) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < namespace.length() && sb.length() < 80; i++) {
            char c = namespace.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    ? c : '_');
        }
        CRC32 crc = new CRC32();
        crc.update(namespace.getBytes(StandardCharsets.UTF_8));
        return sb.append('-').append(String.format("%08x", crc.getValue())).toString();
    }

    /** The namespace directory. */
    Path base() {
        return base;
    }

    /** The directory of shard {@code i} (0 to 255). */
    Path shardDir(int i) {
        return shardDirs[i];
    }

    /** The shard directory name of a key. */
    static String shard(String key) {
        return SHARD_NAMES[shardIndex(key)];
    }

    private static int shardIndex(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & 0xff;
    }

    /**
     * {@code <key><suffix>} in the shard directory of {@code key}; refused unless it is a plain name there: a
     * separator or a {@code ..} in the key, or an absolute path, gives another parent or another last name.
     */
    Path file(String key, String suffix) throws IOException {
        return inShard(key, key + suffix);
    }

    /** The dot file {@code .<key><suffix>} next to the file of {@code key}, checked as {@link #file}. */
    Path dotFile(String key, String suffix) throws IOException {
        return inShard(key, '.' + key + suffix);
    }

    /** A fresh dot file {@code .<key>.<unique><suffix>} next to the file of {@code key}, for temp and claim files. */
    Path uniqueDotFile(String key, String suffix) throws IOException {
        return dotFile(key, '.' + instance + '-' + Long.toHexString(sequence.incrementAndGet()) + suffix);
    }

    private Path inShard(String key, String name) throws IOException {
        Path dir = shardDirs[shardIndex(key)];
        Path p = dir.resolve(name);
        if (!dir.equals(p.getParent()) || !p.getFileName().toString().equals(name)) {
            throw new IOException("refused session key outside the store directory");
        }
        return p;
    }
}
