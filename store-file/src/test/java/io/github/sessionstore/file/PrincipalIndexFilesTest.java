package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.StoredSession;

/** The principal index of the shared directory: markers, their checks against the records, the sweep's cleanup. */
class PrincipalIndexFilesTest {

    private static final String NS = "localhost/app";

    @TempDir
    Path root;

    private FileBackend node() throws IOException {
        return new FileBackend(root, NS, false);
    }

    private static StoredSession record(long version, String principal) {
        long now = System.currentTimeMillis();
        return new StoredSession("payload".getBytes(StandardCharsets.UTF_8), version, now, 600, now + 600_000,
                principal);
    }

    private static Set<String> of(FileBackend b, String principal) throws IOException {
        return new HashSet<>(b.keysOfPrincipal(principal, 100));
    }

    private Path marker(FileBackend b, String principal, String key) {
        return b.principals().dirOf(principal).resolve(key);
    }

    private static void age(Path p) throws IOException {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()
                - PrincipalIndexFiles.GRACE_MILLIS - 60_000));
    }

    @Test
    void recordsKeepTheirPrincipalAndAreListedUnderIt() throws Exception {
        FileBackend b = node();
        assertTrue(b.indexesPrincipals());
        b.save("k1", record(1, "alice"));
        assertTrue(b.saveIfVersion("k2", record(1, "alice"), 0));
        b.save("k3", record(1, "bob"));
        b.save("k4", record(1, null));
        assertEquals(Set.of("k1", "k2"), of(b, "alice"));
        assertEquals(Set.of("k3"), of(b, "bob"));
        assertEquals(Set.of(), of(b, "carol"));
        assertEquals(1, b.keysOfPrincipal("alice", 1).size(), "the limit holds");
        assertEquals("alice", b.load("k1").principal());
        assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), b.load("k1").data());
        assertEquals("alice", b.stat("k2").principal());
        assertNull(b.load("k4").principal());
        assertTrue(b.touch("k1", System.currentTimeMillis(), System.currentTimeMillis() + 900_000));
        assertEquals("alice", b.stat("k1").principal(), "a touch keeps the principal");
        assertFalse(b.saveIfVersion("k2", record(2, "carol"), 7), "a refused compare-and-set indexes nothing");
        assertFalse(Files.exists(marker(b, "carol", "k2")));
    }

    @Test
    void aSessionWithoutPrincipalTouchesNoIndexFile() throws Exception {
        FileBackend b = node();
        b.save("k", record(1, null));
        assertTrue(b.saveIfVersion("k", record(2, null), 1));
        assertTrue(b.delete("k"));
        assertFalse(Files.exists(root.resolve(ShardLayout.namespaceDir(NS)).resolve(PrincipalIndexFiles.DIR)));
        try (Stream<Path> s = Files.list(b.fileOf("k").getParent())) {
            assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().startsWith(".")).toList());
        }
    }

    @Test
    void anOverwriteDeleteOrClaimTakesTheRecordOffItsOldPrincipal() throws Exception {
        FileBackend b = node();
        b.save("k", record(1, "alice"));
        b.save("k", record(2, "bob"));
        assertFalse(Files.exists(marker(b, "alice", "k")), "the writing node drops the old marker");
        assertEquals(Set.of(), of(b, "alice"));
        assertEquals(Set.of("k"), of(b, "bob"));
        assertTrue(b.saveIfVersion("k", record(3, null), 2));
        assertFalse(Files.exists(marker(b, "bob", "k")));
        assertEquals(Set.of(), of(b, "bob"));

        b.save("gone", record(1, "alice"));
        assertTrue(b.delete("gone"));
        assertFalse(Files.exists(marker(b, "alice", "gone")));
        long now = System.currentTimeMillis();
        b.save("old", new StoredSession(new byte[] { 1 }, 1, now - 2000, 1, now - 1000, "alice"));
        FileBackend other = node(); // knows nothing of "old": the claimed file itself names the principal
        assertEquals("alice", other.claimExpired("old", now).principal());
        assertFalse(Files.exists(marker(b, "alice", "old")));
        assertEquals(Set.of(), of(b, "alice"));
    }

    /** Another node's overwrite leaves the old marker; the lookup never returns it and the sweep removes it. */
    @Test
    void aMarkerNoRecordBacksIsNeverReturnedAndTheSweepRemovesIt() throws Exception {
        FileBackend a = node();
        FileBackend b = node();
        a.save("k", record(1, "alice"));
        b.save("k", record(2, "bob"));
        a.save("live", record(1, "alice"));
        Path stale = marker(a, "alice", "k");
        assertTrue(Files.exists(stale), "b could not know the old marker");
        assertEquals(Set.of("live"), of(a, "alice"));

        b.housekeep(System.currentTimeMillis());
        assertTrue(Files.exists(stale), "a young marker is left alone: its record may be on its way");
        age(stale);
        age(marker(a, "alice", "live"));
        b.housekeep(System.currentTimeMillis());
        assertFalse(Files.exists(stale), "the sweep removed the stale marker");
        assertTrue(Files.exists(marker(a, "alice", "live")), "and kept the one its record backs");
        assertEquals(Set.of("live"), of(a, "alice"));
    }

    /** A node that dies after the marker and before the record leaves only a stale marker, never a missing one. */
    @Test
    void aCrashBetweenMarkerAndRecordLeavesAStaleMarkerTheSweepCleans() throws Exception {
        FileBackend dead = node();
        dead.principals().beforeWrite("k", "alice"); // the marker, then the node died before the rename
        Path m = marker(dead, "alice", "k");
        assertTrue(Files.exists(m));
        FileBackend b = node();
        assertEquals(Set.of(), of(b, "alice"), "not returned: no record backs it");
        age(m);
        b.housekeep(System.currentTimeMillis());
        assertFalse(Files.exists(m));
        assertFalse(Files.exists(m.getParent()), "the emptied principal directory went too");
    }

    /** The sweep's second look: a write of the marker's principal that landed during the check keeps its marker. */
    @Test
    void aMarkerRemovedAsItsRecordWasWrittenIsPutBack() throws Exception {
        FileBackend b = node();
        b.principals().beforeWrite("k", "alice");
        Path m = marker(b, "alice", "k");
        age(m);
        Deque<String> answers = new ArrayDeque<>(List.of("nobody", "alice"));
        b.principals().sweep(100, key -> answers.isEmpty() ? "alice" : answers.poll());
        assertTrue(Files.exists(m));
    }

    /** The index is cleaned up after the fact: a marker that cannot be removed never fails a done claim or delete. */
    @Test
    void aMarkerThatCannotBeRemovedFailsNoClaimOrDelete() throws Exception {
        FileBackend b = node();
        long now = System.currentTimeMillis();
        b.save("old", new StoredSession(new byte[] { 1 }, 1, now - 2000, 1, now - 1000, "alice"));
        b.save("k", record(1, "alice"));
        for (String key : List.of("old", "k")) {
            Path m = marker(b, "alice", key);
            Files.delete(m);
            Files.createDirectories(m.resolve("x")); // a non-empty directory: its removal fails
        }
        assertEquals("alice", b.claimExpired("old", now).principal(), "the claimed session is handed up");
        assertTrue(b.delete("k"));
        assertNull(b.load("k"));
    }

    @Test
    void theSweepGoesOnPastAStrayFileInTheIndex() throws Exception {
        FileBackend b = node();
        b.principals().beforeWrite("k", "alice");
        Path m = marker(b, "alice", "k");
        age(m);
        Path stray = m.getParent().getParent().resolve("stray");
        Files.writeString(stray, "x");
        b.housekeep(System.currentTimeMillis());
        assertFalse(Files.exists(m));
    }

    @Test
    void hostilePrincipalNamesStayInsideTheIndexDirectory() throws Exception {
        FileBackend b = node();
        List<String> names = List.of("../../etc", "..", "/etc/passwd", "a\u0000b", "a", "x".repeat(10_000),
                "ünïcødé 用户 \uD83D\uDE00", "C:\\x", ".hidden", "lone \uD800 surrogate");
        int i = 0;
        for (String n : names) {
            b.save("k" + i++, record(1, n));
        }
        i = 0;
        for (String n : names) {
            assertEquals(List.of("k" + i), b.keysOfPrincipal(n, 10), "principal #" + i);
            assertEquals(new String(n.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                    b.load("k" + i).principal(), "as UTF-8 keeps it");
            i++;
        }
        Path index = root.resolve(ShardLayout.namespaceDir(NS)).resolve(PrincipalIndexFiles.DIR);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (p.startsWith(index) && !p.equals(index)) {
                    Path rel = index.relativize(p);
                    assertTrue(rel.getName(0).toString().matches("[0-9a-f]{2}"), rel.toString());
                    assertTrue(rel.getNameCount() < 2 || rel.getName(1).toString().matches("[0-9a-f]{64}"),
                            rel.toString());
                    assertTrue(rel.getNameCount() <= 3, rel.toString());
                } else {
                    assertTrue(p.startsWith(root.resolve(ShardLayout.namespaceDir(NS))) || p.equals(root), p.toString());
                }
            }
        }
        IOException tooLong = assertThrows(IOException.class, () -> b.save("long", record(1, "y".repeat(70_000))));
        assertFalse(tooLong.getMessage().contains("yyyy"), "the name is not repeated in the message");
        assertNull(b.load("long"), "nothing written");
    }

    @Test
    void filesWithoutPrincipalKeepTheFormerHeaderAndBadHeadersReadAsForeignBytes() throws Exception {
        FileBackend b = node();
        b.save("plain", record(1, null));
        byte[] plain = Files.readAllBytes(b.fileOf("plain"));
        assertEquals("SSF1", new String(plain, 0, 4, StandardCharsets.US_ASCII), "as written before the index");
        assertEquals(RecordFormat.FIXED + "payload".length(), plain.length);
        b.save("p", record(1, "alice"));
        assertEquals("SSF2", new String(Files.readAllBytes(b.fileOf("p")), 0, 4, StandardCharsets.US_ASCII));

        // an SSF2 header whose principal length runs past the end of the file is not one of ours
        ByteBuffer bad = ByteBuffer.allocate(RecordFormat.FIXED + 2 + 3);
        bad.put("SSF2".getBytes(StandardCharsets.US_ASCII)).putLong(5).putLong(1).putInt(60).putShort((short) 500)
                .put(new byte[3]);
        Files.createDirectories(b.fileOf("bad").getParent());
        Files.write(b.fileOf("bad"), bad.array());
        StoredSession s = b.load("bad");
        assertEquals(0, s.version());
        assertNull(s.principal());
        assertArrayEquals(bad.array(), s.data(), "handed up raw, for the codec to refuse");
        assertEquals(0, b.stat("bad").version());
    }

    @Test
    void clearRemovesTheIndex() throws Exception {
        FileBackend b = node();
        b.save("k", record(1, "alice"));
        b.clear();
        assertFalse(Files.exists(root.resolve(ShardLayout.namespaceDir(NS)).resolve(PrincipalIndexFiles.DIR)));
        assertEquals(Set.of(), of(b, "alice"));
    }
}
