package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The file store stays inside its root: no link below it is followed by a load, a write or a sweep; only regular
 * files are read, each bounded before it starts; files and directories are created with {@code fileMode}.
 */
class FileConfinementTest {

    private static final String NS = "localhost/app";
    private static final long TWO_HOURS = 2 * FileBackend.ORPHAN_AGE_MILLIS;
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    private Path root;
    /** A directory outside the root, full of files every sweep would remove if it were inside. */
    private Path outside;

    @BeforeEach
    void dirs() throws IOException {
        root = Files.createDirectory(tmp.resolve("root"));
        outside = Files.createDirectory(tmp.resolve("outside"));
    }

    private FileBackend backend() throws IOException {
        return new FileBackend(root, NS, false, 1000, 1024, FileModes.DEFAULT);
    }

    private static StoredSession record(long version, long expiresAt) {
        return new StoredSession("payload".getBytes(StandardCharsets.UTF_8), version, System.currentTimeMillis(), 600,
                expiresAt);
    }

    private static byte[] fileBytes(StoredSession s) throws IOException {
        ByteBuffer header = RecordFormat.header(s);
        byte[] out = new byte[header.remaining() + s.data().length];
        header.get(out, 0, header.remaining());
        System.arraycopy(s.data(), 0, out, out.length - s.data().length, s.data().length);
        return out;
    }

    private static void backdate(Path p) throws IOException {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - TWO_HOURS));
    }

    /**
     * Fills {@code dir} with what the sweeps remove when they find it old and in the store: an expired record, orphan
     * temp and claim files, a lapsed lease, a break ticket, index markers no record backs; all two hours old.
     */
    private static void fillWithOldFiles(Path dir) throws IOException {
        long now = System.currentTimeMillis();
        Files.write(dir.resolve("OLD.session"), fileBytes(record(1, now - TWO_HOURS)));
        Files.writeString(dir.resolve(".OLD.0123-1.tmp"), "temp");
        Files.writeString(dir.resolve(".OLD.0123-2.claim"), "claim");
        Files.write(dir.resolve(".OLD.lock"), LeaseFiles.encode("0123abcd", now - TWO_HOURS, 1000, "dead"));
        Files.writeString(dir.resolve(".OLD.lock.feed-1.brk"), "");
        Files.writeString(dir.resolve("MARKER1"), "");
        Files.writeString(dir.resolve("precious.txt"), "not the store's");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                backdate(f);
            }
        }
    }

    /** Name → size and mtime of every file in {@code dir}: what must not change. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return out;
    }

    /** Every walk of the backend (the expiry scan and the housekeeping), over every shard. */
    private static void sweepEverything(FileBackend b) throws IOException {
        long farFuture = System.currentTimeMillis() + 10 * TWO_HOURS;
        for (int i = 0; i < 3; i++) {
            b.expiredKeys(farFuture, 100_000);
            b.housekeep(farFuture);
        }
    }

    /** Guards the directory checks: a shard directory planted as a link is neither read, written nor swept. */
    @Test
    void aLinkedShardDirectoryIsNeitherReadWrittenNorSwept() throws Exception {
        FileBackend b = backend();
        String key = "LINKEDSHARD0123456789";
        Path shard = b.fileOf(key).getParent();
        fillWithOldFiles(outside);
        Files.write(outside.resolve(key + FileBackend.SUFFIX), fileBytes(record(7, Long.MAX_VALUE - 1)));
        Files.createSymbolicLink(shard, outside);
        Map<String, String> before = snapshot(outside);

        assertNull(b.load(key), "a record behind a linked shard directory reads as absent");
        assertNull(b.stat(key));
        assertThrows(IOException.class, () -> b.save(key, record(8, System.currentTimeMillis() + 600_000)));
        assertThrows(IOException.class, () -> b.saveIfVersion(key, record(8, System.currentTimeMillis() + 60_000), 7));
        assertThrows(IOException.class, () -> b.tryLock(key, "owner", 30_000), "no lock file is made through it");
        assertFalse(b.touch(key, 0, System.currentTimeMillis()));
        assertFalse(b.delete(key));
        assertNull(b.claimExpired(key, Long.MAX_VALUE));
        assertFalse(b.keys().contains(key));
        assertEquals(0, b.size());
        sweepEverything(b);
        b.clear();

        assertEquals(before, snapshot(outside), "nothing outside was written, touched or deleted");
        assertTrue(Files.isSymbolicLink(shard), "the link itself is left alone");
    }

    /** Guards NOFOLLOW_LINKS on the files themselves: a session file planted as a link is never read through. */
    @Test
    void aLinkedSessionFileReadsAsAbsentAndIsNeverWrittenThrough() throws Exception {
        FileBackend b = backend();
        String key = "LINKEDFILE0123456789";
        Path file = b.fileOf(key);
        b.confinement().prepare(file.getParent());
        fillWithOldFiles(outside);
        Path target = outside.resolve("target.session");
        byte[] content = fileBytes(record(7, System.currentTimeMillis() - TWO_HOURS));
        Files.write(target, content);
        backdate(target);
        long targetMtime = Files.getLastModifiedTime(target).toMillis();
        Files.createSymbolicLink(file, target);
        Path tempLink = file.resolveSibling("." + key + ".0123-1.tmp"); // as an orphan temp file would be named
        Files.createSymbolicLink(tempLink, target);
        Path leaseLink = b.lockFileOf(key);
        Files.createSymbolicLink(leaseLink, outside.resolve(".OLD.lock"));
        Map<String, String> before = snapshot(outside);

        assertNull(b.load(key));
        assertNull(b.stat(key));
        assertFalse(b.expiredKeys(System.currentTimeMillis(), 100).contains(key), "a link is no expired session");
        assertNull(b.claimExpired(key, System.currentTimeMillis()));
        b.touch(key, 0, System.currentTimeMillis() + 600_000);
        assertEquals(targetMtime, Files.getLastModifiedTime(target).toMillis(), "a touch never reaches the target");

        assertFalse(b.tryLock(key, "owner", 30_000), "a link at the lock's name is no lease anyone takes or breaks");
        sweepEverything(b);
        assertEquals(before, snapshot(outside), "nothing outside was written, touched or deleted");
        assertTrue(Files.isSymbolicLink(tempLink), "a link is left alone, not removed as an orphan");
        assertTrue(Files.isSymbolicLink(leaseLink), "nor as a lapsed lease");

        b.save(key, record(8, System.currentTimeMillis() + 600_000));
        assertArrayEquals(content, Files.readAllBytes(target), "the write replaced the link, not its target");
        assertFalse(Files.isSymbolicLink(file));
        assertEquals(8, b.load(key).version());
    }

    /**
     * The issue's case: {@code principals/00/<dir>} planted as a link makes every node's principal sweep delete the
     * old files wherever it points; and a linked index shard the same. Guards the sweep's checks.
     */
    @Test
    void linkedPrincipalDirectoriesAreNotSwept() throws Exception {
        FileBackend b = backend();
        b.save("REAL0123456789", new StoredSession(new byte[] { 1 }, 1, 0, 600,
                System.currentTimeMillis() + 600_000, "alice"));
        Path index = root.toRealPath().resolve(ShardLayout.namespaceDir(NS)).resolve(PrincipalIndexFiles.DIR);
        Path shard00 = Files.createDirectories(index.resolve("00"));
        Files.createSymbolicLink(shard00.resolve("00" + "ab".repeat(31)), outside);
        Path shard01 = index.resolve("01");
        if (Files.exists(shard01)) {
            ServerProcess.deleteTree(shard01);
        }
        Files.createSymbolicLink(shard01, outside);
        Path malloryDir = b.principals().dirOf("mallory");
        Files.createDirectories(malloryDir.getParent());
        Files.createSymbolicLink(malloryDir, outside);
        fillWithOldFiles(outside);
        Map<String, String> before = snapshot(outside);

        sweepEverything(b);
        assertEquals(List.of(), b.keysOfPrincipal("mallory", 10), "a linked principal directory lists nothing");
        b.clear();

        assertEquals(before, snapshot(outside), "no old file outside the root was deleted");
        assertTrue(Files.isSymbolicLink(shard01));
    }

    /**
     * Guards the sweep's open directories (openat/unlinkat): a shard directory swapped for a link after the sweep
     * entered it redirects none of its deletes, which still land in the directory it entered.
     */
    @Test
    void aShardSwappedForALinkWhileTheSweepIsInItRedirectsNothing() throws Exception {
        FileBackend b = backend();
        Path shard = b.fileOf("SWAPPED0123456789").getParent();
        b.confinement().prepare(shard);
        String orphan = ".SWAPPED0123456789.0123-1.tmp";
        Files.writeString(shard.resolve(orphan), "ours");
        fillWithOldFiles(outside);
        Files.writeString(outside.resolve(orphan), "not ours");
        Map<String, String> before = snapshot(outside);
        Path moved = shard.resolveSibling("moved-away");
        try (DirectoryStream<Path> probe = Files.newDirectoryStream(shard)) {
            assumeTrue(probe instanceof SecureDirectoryStream, "the platform has openat/unlinkat");
        }
        try (ConfinedDir base = ConfinedDir.open(b.confinement(), shard.getParent());
                ConfinedDir dir = base.child(shard)) {
            Path entry = dir.iterator().next();
            Files.move(shard, moved); // the swap, between the sweep's look and its delete
            Files.createSymbolicLink(shard, outside);
            assertTrue(dir.attributes(entry).isRegularFile());
            assertTrue(dir.delete(entry));
        }
        assertEquals(before, snapshot(outside), "the delete went to the directory the sweep had entered");
        assertFalse(Files.exists(moved.resolve(orphan)));
    }

    /** Guards the root check: a root that went away (an unmounted share) is an outage, and is never recreated. */
    @Test
    void aRootThatIsGoneIsAnOutageNotAnAbsentRecord() throws Exception {
        FileBackend b = backend();
        b.save("GONE0123456789", record(1, System.currentTimeMillis() + 600_000));
        Files.move(root, tmp.resolve("unmounted"));
        assertThrows(IOException.class, () -> b.load("GONE0123456789"));
        assertThrows(IOException.class, () -> b.stat("GONE0123456789"));
        assertThrows(IOException.class, () -> b.save("GONE0123456789", record(2, System.currentTimeMillis() + 1000)));
        assertFalse(Files.exists(root), "the store never creates its root again");
        Files.move(tmp.resolve("unmounted"), root);
        assertEquals(1, b.load("GONE0123456789").version(), "back with the mount");
    }

    /** Guards the type check before the open: a session file linked to /dev/zero neither hangs nor fills memory. */
    @Test
    void aSessionFileLinkedToDevZeroReadsAsAbsentPromptly() throws Exception {
        FileBackend b = backend();
        String key = "DEVZERO0123456789";
        Path file = b.fileOf(key);
        b.confinement().prepare(file.getParent());
        Files.createSymbolicLink(file, Path.of("/dev/zero"));
        assertTimeoutPreemptively(PROMPTLY, () -> {
            assertNull(b.load(key));
            assertNull(b.stat(key));
        });
    }

    /**
     * Guards the type check before the open: opening a FIFO blocks until a writer comes, so a planted one is never
     * opened.
     */
    @Test
    void aFifoSessionFileReadsAsAbsentPromptly() throws Exception {
        FileBackend b = backend();
        String key = "FIFO0123456789";
        Path file = b.fileOf(key);
        b.confinement().prepare(file.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS), "mkfifo ends");
        assertEquals(0, mkfifo.exitValue());
        assertTrue(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther(), "a FIFO is there");
        assertTimeoutPreemptively(PROMPTLY, () -> {
            assertNull(b.load(key));
            assertNull(b.stat(key));
            assertNull(b.claimExpired(key, Long.MAX_VALUE));
        });
        assertTrue(Files.exists(file, LinkOption.NOFOLLOW_LINKS), "left alone");
    }

    /**
     * Guards the size bound: a record larger than maxSessionSize (plus the header) reads as absent without being read
     * (this one is a sparse 8 GB file: reading it whole cannot succeed).
     */
    @Test
    void anOversizedRecordReadsAsAbsentWithoutBeingRead() throws Exception {
        FileBackend b = backend();
        String key = "HUGE0123456789";
        b.save(key, record(3, System.currentTimeMillis() + 600_000));
        assertEquals(3, b.load(key).version());
        try (RandomAccessFile f = new RandomAccessFile(b.fileOf(key).toFile(), "rw")) {
            f.setLength(8L << 30);
        }
        assertTimeoutPreemptively(PROMPTLY, () -> {
            StoredSession refused = b.load(key);
            assertEquals(0, refused.data().length, "larger than maxSessionSize allows: no payload is read");
            assertEquals(3, refused.version(), "its header is, so that a compare-and-set sees the version");
            assertEquals(3, b.stat(key).version());
        });
        // the bound is maxSessionSize plus the largest header: a record of exactly maxSessionSize still reads
        b.save(key, new StoredSession(new byte[1024], 4, 0, 600, System.currentTimeMillis() + 600_000));
        assertEquals(1024, b.load(key).data().length);
    }

    /** Guards the bounded stream: a file that grows after the size check is read only up to that size. */
    @Test
    void aFileGrowingDuringTheReadIsReadOnlyUpToItsCheckedSize() throws Exception {
        FileBackend b = backend();
        Path file = root.toRealPath().resolve("growing");
        Files.write(file, new byte[100]);
        byte[] read = b.confinement().read(file, 1000, false, (in, size, mtime) -> {
            Files.write(file, new byte[5000], StandardOpenOption.APPEND);
            return in.readAllBytes();
        });
        assertEquals(100, read.length);
    }

    /** An oversized record through the store: a fresh session, counted as a miss, not as an error of the store. */
    @Test
    void anOversizedRecordGivesAFreshSessionAndNoStoreError() throws Exception {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(root.toString());
        store.setMaxSessionSize(1024);
        try (StoreNode node = new StoreNode(store, "localhost", "/app")) {
            var s = node.newSession(600);
            s.setAttribute("a", "b");
            node.endRequest(s);
            FileBackend b = (FileBackend) node.backend();
            String key = b.keys().get(0);
            try (RandomAccessFile f = new RandomAccessFile(b.fileOf(key).toFile(), "rw")) {
                f.setLength(1L << 20);
            }
            long errors = store.statistics().getErrors();
            for (int i = 0; i < 5; i++) {
                assertNull(node.load(s.getId()));
            }
            assertEquals(errors, store.statistics().getErrors(), "not counted as a failure of the store");
            assertFalse(store.statistics().isCircuitOpen());
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** Writes one of everything the store creates, and checks each one's mode. */
    private static void assertModes(FileBackend b, String file, String dir) throws Exception {
        String key = "MODES0123456789";
        b.save(key, new StoredSession(new byte[] { 1 }, 1, 0, 600, System.currentTimeMillis() + 600_000, "alice"));
        assertTrue(b.tryLock(key, "owner", 30_000));
        Path record = b.fileOf(key);
        assertEquals(file, mode(record), "record");
        assertEquals(file, mode(b.lockFileOf(key)), "lock");
        Path marker = b.principals().dirOf("alice").resolve(key);
        assertEquals(file, mode(marker), "index marker");
        assertEquals(dir, mode(record.getParent()), "shard directory");
        assertEquals(dir, mode(record.getParent().getParent()), "namespace directory");
        assertEquals(dir, mode(marker.getParent()), "principal's directory");
        assertEquals(dir, mode(marker.getParent().getParent()), "index shard");
        assertEquals(dir, mode(marker.getParent().getParent().getParent()), "index");
        LeaseFiles.Held cas = b.leases().tryAcquire(b.casFileOf(key), "w", 30_000);
        assertNotNull(cas);
        assertEquals(file, mode(b.casFileOf(key)), "critical section");
    }

    /** Guards the mode given at creation: 0600 and 0700, whatever the umask (022 here gives 0644 without it). */
    @Test
    void filesAre0600AndDirectories0700ByDefault() throws Exception {
        assertModes(backend(), "rw-------", "rwx------");
    }

    /** Guards fileMode and the widening past the umask (022 would take the group's write away). */
    @Test
    void fileMode660GivesTheGroupReadAndWrite() throws Exception {
        Path newRoot = root.resolve("made-by-the-store");
        FileBackend b = new FileBackend(newRoot, NS, false, 1000, 1024, "660");
        assertModes(b, "rw-rw----", "rwxrwx---");
        assertEquals("rwxrwx---", mode(newRoot), "a root the store creates gets the directory mode too");
    }

    /** Guards the check of fileMode: refused values fail the start naming the attribute, never the value. */
    @Test
    void aBadFileModeFailsTheStartNamingTheAttribute() throws Exception {
        for (String bad : List.of("644", "666", "0600", "60", "rw-------", "700", "610", "abc", "")) {
            SharedFileStore store = new SharedFileStore();
            store.setDirectory(root.toString());
            store.setFileMode(bad);
            LifecycleException e = assertThrows(LifecycleException.class,
                    () -> new StoreNode(store, "localhost", "/app").close(), bad);
            String messages = messages(e);
            assertTrue(messages.contains("[fileMode]"), messages);
            if (!bad.isEmpty()) {
                assertFalse(messages.contains("[" + bad + "]") || messages.contains("'" + bad + "'"), messages);
            }
        }
        for (String good : List.of("600", "640", "660")) {
            SharedFileStore store = new SharedFileStore();
            store.setDirectory(root.resolve(good).toString());
            store.setFileMode(good);
            try (StoreNode node = new StoreNode(store, "localhost", "/app")) {
                assertEquals(good, ((SharedFileStore) node.store).getFileMode());
            }
        }
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
