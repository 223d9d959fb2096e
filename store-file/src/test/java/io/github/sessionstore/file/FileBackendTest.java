package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.Gadget;
import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.ServerProcess;

/** File-store specifics: path containment (CVE-2020-9484), sharding, mtime expiry, claims. */
class FileBackendTest {

    @TempDir
    Path root;

    private FileBackend backend() throws IOException {
        return new FileBackend(root, "localhost/app", false);
    }

    private static byte[] gadgetStream() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            oos.writeObject(new Gadget());
        }
        return bos.toByteArray();
    }

    /**
     * CVE-2020-9484: a session file planted where a traversal id would lead is never read, let alone deserialized.
     * Guards the id check in the core and the containment check in the backend.
     */
    @Test
    void traversalIdsNeverReachAPlantedFile() throws Exception {
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(root.toString());
        try (StoreNode node = new StoreNode(store, "localhost", "/app")) {
            byte[] planted = gadgetStream();
            Files.write(root.resolve("evil.session"), planted);
            Path nsDir = root.resolve(ShardLayout.namespaceDir("localhost/app"));
            Files.write(nsDir.resolve("evil.session"), planted);
            Files.write(root.getParent().resolve("evil.session"), planted);
            Gadget.DESERIALIZED.set(0);
            for (String id : List.of("../evil", "../../evil", "../../../evil", "..%2F..%2Fevil", "00/../../evil",
                    "/evil", root.resolve("evil").toString())) {
                assertNull(node.load(id));
            }
            assertEquals(0, Gadget.DESERIALIZED.get());
            assertTrue(Files.exists(root.resolve("evil.session")), "nothing outside was touched");
        } finally {
            Files.deleteIfExists(root.getParent().resolve("evil.session"));
        }
    }

    /** Defence in depth: even a key that got past the core cannot leave the namespace directory. */
    @Test
    void backendRefusesKeysThatResolveOutsideItsDirectory() throws Exception {
        FileBackend b = backend();
        for (String key : List.of("../x", "../../x", "a/../../x", "/etc/passwd")) {
            assertThrows(IOException.class, () -> b.load(key), key);
            assertThrows(IOException.class,
                    () -> b.save(key, new StoredSession(new byte[] { 1 }, 1, 0, 60, Long.MAX_VALUE)), key);
        }
    }

    @Test
    void sessionsAreShardedAcrossSubdirectories() throws Exception {
        FileBackend b = backend();
        long exp = System.currentTimeMillis() + 600_000;
        for (int i = 0; i < 2000; i++) {
            b.save("S" + i, new StoredSession(new byte[] { 1 }, 1, 0, 600, exp));
        }
        Path base = root.resolve(ShardLayout.namespaceDir("localhost/app"));
        Set<Path> dirs = new HashSet<>();
        try (Stream<Path> files = Files.walk(base)) {
            files.filter(p -> p.toString().endsWith(FileBackend.SUFFIX)).forEach(p -> dirs.add(p.getParent()));
        }
        assertTrue(dirs.size() > 200, "2000 sessions spread over " + dirs.size() + " shard directories");
        assertFalse(dirs.contains(base), "no session file sits in the namespace directory itself");
        assertEquals(2000, b.size());
    }

    /** The file's mtime is the expiry: the sweep finds expired files without reading them, touch moves it. */
    @Test
    void expiryIsTheModificationTime() throws Exception {
        FileBackend b = backend();
        long now = System.currentTimeMillis();
        b.save("OLD", new StoredSession(new byte[] { 1 }, 1, now, 1, now - 5000));
        b.save("LIVE", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
        b.save("FOREVER", new StoredSession(new byte[] { 1 }, 1, now, 0, StoredSession.NEVER));
        // an unreadable file is still listed by its mtime alone
        Path garbage = b.fileOf("GARBAGE");
        Files.createDirectories(garbage.getParent());
        Files.write(garbage, new byte[] { 9, 9 });
        Files.setLastModifiedTime(garbage, FileTime.fromMillis(now - 1000));

        assertEquals(Set.of("OLD", "GARBAGE"), new HashSet<>(b.expiredKeys(now, 100)));
        assertEquals(StoredSession.NEVER, b.load("FOREVER").expiresAt());
        assertTrue(b.touch("OLD", now, now + 60_000));
        assertEquals(Set.of("GARBAGE"), new HashSet<>(b.expiredKeys(now, 100)));
        assertFalse(b.touch("MISSING", now, now + 60_000), "a touch never creates a record");
    }

    @Test
    void onlyOneClaimWinsAndALiveRecordIsNotClaimed() throws Exception {
        FileBackend b1 = backend();
        FileBackend b2 = backend();
        long now = System.currentTimeMillis();
        b1.save("GONE", new StoredSession(new byte[] { 7 }, 3, now, 1, now - 1));
        b1.save("LIVE", new StoredSession(new byte[] { 8 }, 3, now, 600, now + 600_000));
        StoredSession first = b1.claimExpired("GONE", now);
        assertNotNull(first);
        assertEquals(3, first.version());
        assertNull(b2.claimExpired("GONE", now), "the second claim loses");
        assertNull(b2.claimExpired("LIVE", now));
        assertNotNull(b1.load("LIVE"));
    }

    /**
     * Guards the put-back of a claimed file that turned out to be live: a plain save landing between the claim's
     * rename and the put-back must survive it (a rename back would replace it with the older file).
     */
    @Test
    void aClaimPutBackNeverReplacesANewerFile() throws Exception {
        FileBackend b = backend();
        long now = System.currentTimeMillis();
        Path file = b.fileOf("PUTBACK");
        b.save("PUTBACK", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
        Path claim = file.resolveSibling(".PUTBACK.0123.claim");
        Files.move(file, claim, StandardCopyOption.ATOMIC_MOVE); // the claim's rename
        b.save("PUTBACK", new StoredSession(new byte[] { 2 }, 2, now, 600, now + 900_000)); // lands meanwhile

        assertFalse(FileBackend.putBack(claim, file), "a newer file holds the name");
        assertEquals(2, b.load("PUTBACK").version(), "the newer file survives");
        assertEquals(now + 900_000, b.load("PUTBACK").expiresAt());

        Files.move(file, claim, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(FileBackend.putBack(claim, file), "nothing holds the name: back it goes");
        Files.deleteIfExists(claim); // as the claim does afterwards
        assertEquals(2, b.load("PUTBACK").version());
        assertEquals(now + 900_000, b.load("PUTBACK").expiresAt(), "with its expiry");
        assertEquals(List.of("PUTBACK"), b.keys());
    }

    /** The same for the fallback where the file system has no hard links, as far as a check-then-rename goes. */
    @Test
    void theFallbackPutBackRefusesAnExistingFile() throws Exception {
        FileBackend b = backend();
        long now = System.currentTimeMillis();
        Path file = b.fileOf("MOVEBACK");
        b.save("MOVEBACK", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
        Path claim = file.resolveSibling(".MOVEBACK.0123.claim");
        Files.move(file, claim, StandardCopyOption.ATOMIC_MOVE);
        b.save("MOVEBACK", new StoredSession(new byte[] { 2 }, 2, now, 600, now + 900_000));

        assertFalse(FileBackend.moveBackUnlessTaken(claim, file));
        assertEquals(2, b.load("MOVEBACK").version(), "the newer file survives");
        Files.delete(file);
        assertTrue(FileBackend.moveBackUnlessTaken(claim, file));
        assertEquals(1, b.load("MOVEBACK").version());
        assertEquals(now + 600_000, b.load("MOVEBACK").expiresAt());
        assertFalse(Files.exists(claim));
    }

    /**
     * A save does not check for its shard directory before it creates the temp file: guards the fallback that
     * creates it when it is missing (a first write, or removed by an operator or another node's cleanup).
     */
    @Test
    void aSaveRecreatesARemovedShardOrNamespaceDirectory() throws Exception {
        FileBackend b = backend();
        long exp = System.currentTimeMillis() + 600_000;
        b.save("K1", new StoredSession(new byte[] { 1 }, 1, 0, 600, exp));
        Path shard = b.fileOf("K1").getParent();
        Files.delete(b.fileOf("K1"));
        Files.delete(shard);
        b.save("K1", new StoredSession(new byte[] { 2 }, 2, 0, 600, exp));
        assertEquals(2, b.load("K1").version(), "written again into a recreated shard directory");

        Path base = root.resolve(ShardLayout.namespaceDir("localhost/app"));
        ServerProcess.deleteTree(base);
        assertFalse(Files.exists(base));
        assertTrue(b.saveIfVersion("K1", new StoredSession(new byte[] { 3 }, 3, 0, 600, exp), 0),
                "the namespace directory is recreated too, also by a compare-and-set");
        assertEquals(3, b.load("K1").version());
        assertEquals(exp, b.load("K1").expiresAt(), "with its expiry as the mtime");
    }

    /** A write whose rename fails leaves no temp file behind (the temp is only removed when it was not renamed). */
    @Test
    void aFailedRenameLeavesNoTempFile() throws Exception {
        FileBackend b = backend();
        long exp = System.currentTimeMillis() + 600_000;
        Path file = b.fileOf("BLOCKED");
        Files.createDirectories(file.resolve("occupied")); // a non-empty directory: rename(2) cannot replace it
        assertThrows(IOException.class, () -> b.save("BLOCKED", new StoredSession(new byte[] { 1 }, 1, 0, 600, exp)));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "only the blocking directory is there");
        }
    }

    /** Temp names differ between backends on one directory (two nodes) and between writes of one backend. */
    @Test
    void tempNamesAreUniqueAcrossNodesAndWrites() throws Exception {
        ShardLayout one = new ShardLayout(root, "localhost/app");
        ShardLayout two = new ShardLayout(root, "localhost/app");
        Set<Path> names = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertTrue(names.add(one.uniqueDotFile("K", ".tmp")));
            assertTrue(names.add(two.uniqueDotFile("K", ".tmp")));
        }
        assertEquals(one.file("K", ".session").getParent(), names.iterator().next().getParent());
    }
}
