package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sessionstore.core.StoredSession;

/**
 * The file store's locking primitives beyond the contract suite: what a node that dies at the wrong moment leaves in
 * the shared directory (a critical section, an incomplete lock file, a break ticket) must delay others by a bounded
 * time only, and lease files must never be taken for sessions or outlive their usefulness.
 */
class FileLeaseTest {

    @TempDir
    Path root;

    private FileBackend backend(int operationTimeout) throws IOException {
        return new FileBackend(root, "localhost/app", false, operationTimeout);
    }

    private static StoredSession record(long version, long expiresAt) {
        return new StoredSession(new byte[] { (byte) version }, version, System.currentTimeMillis(), 600, expiresAt);
    }

    private static StoredSession record(long version) {
        return record(version, System.currentTimeMillis() + 600_000);
    }

    private static void waitUntilLapsed(FileBackend b, Path leaseFile) throws Exception {
        long expiresAt = b.leases().read(leaseFile).expiresAt();
        for (int i = 0; i < 100 && System.currentTimeMillis() <= expiresAt; i++) {
            Thread.sleep(20);
        }
        assertTrue(System.currentTimeMillis() > expiresAt);
    }

    private static void backdate(Path file, long millis) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - millis));
    }

    private List<Path> filesOf(FileBackend b, String key) throws IOException {
        try (Stream<Path> s = Files.list(b.fileOf(key).getParent())) {
            return s.filter(p -> p.getFileName().toString().contains(key)).toList();
        }
    }

    /** Guards the critical section's lease: a writer that died inside it must not wedge the session. */
    @Test
    void criticalSectionLeftByADeadWriterIsBrokenByTheNextCompareAndSet() throws Exception {
        FileBackend dead = backend(3000);
        FileBackend b = backend(3000);
        String key = "CASDEAD0123456789";
        b.save(key, record(4));
        assertNotNull(dead.leases().tryAcquire(dead.casFileOf(key), "dead-writer", 200), "dies holding it");

        assertTrue(b.saveIfVersion(key, record(5), 4), "the lapsed section is broken, the write goes through");
        assertEquals(5, b.load(key).version());
        assertFalse(Files.exists(b.casFileOf(key)), "the section is released after the write");
        assertEquals(List.of(b.fileOf(key)), filesOf(b, key), "no ticket or temp file is left behind");
    }

    /** Guards the check-and-rename being inside the section: a write must not land while another node is in it. */
    @Test
    void compareAndSetWaitsForALiveSectionAndGivesUpWithoutWriting() throws Exception {
        FileBackend other = backend(3000);
        FileBackend b = backend(300);
        String key = "CASBUSY0123456789";
        b.save(key, record(4));
        LeaseFiles.Held held = other.leases().tryAcquire(other.casFileOf(key), "busy-writer", 60_000);
        assertNotNull(held);

        assertThrows(IOException.class, () -> b.saveIfVersion(key, record(5), 4), "times out after 300 ms");
        assertEquals(4, b.load(key).version(), "nothing was written");
        other.leases().release(held);
        assertEquals(List.of(b.fileOf(key)), filesOf(b, key), "the temp file of the failed write is gone");
        assertTrue(b.saveIfVersion(key, record(5), 4), "free again once released");
    }

    /** Guards deletes and expiry claims entering the section: a node inside it is never overtaken by a delete. */
    @Test
    void deleteAndExpiryClaimWaitForALiveSectionAndGiveUpWithoutDeleting() throws Exception {
        FileBackend other = backend(3000);
        FileBackend b = backend(300);
        String live = "DELBUSY0123456789";
        String expired = "CLAIMBUSY0123456789";
        b.save(live, record(4));
        b.save(expired, record(4, System.currentTimeMillis() - 60_000));
        LeaseFiles.Held liveSection = other.leases().tryAcquire(other.casFileOf(live), "busy-writer", 60_000);
        LeaseFiles.Held expiredSection = other.leases().tryAcquire(other.casFileOf(expired), "busy-writer", 60_000);
        assertNotNull(liveSection);
        assertNotNull(expiredSection);

        assertThrows(IOException.class, () -> b.delete(live), "times out after 300 ms");
        assertThrows(IOException.class, () -> b.claimExpired(expired, System.currentTimeMillis()));
        assertEquals(4, b.load(live).version(), "nothing was deleted");
        assertEquals(4, b.load(expired).version(), "nothing was claimed");
        other.leases().release(liveSection);
        other.leases().release(expiredSection);
        assertTrue(b.delete(live), "free again once released");
        assertEquals(4, b.claimExpired(expired, System.currentTimeMillis()).version());
        assertEquals(List.of(), filesOf(b, live), "no section or ticket is left behind");
        assertEquals(List.of(), filesOf(b, expired), "no section, ticket or claim file is left behind");
    }

    /**
     * Guards the resurrection race: an invalidation landing between a compare-and-set's version check and its rename
     * would be undone by the rename. The writer node is simulated inside its section, after its check.
     */
    @Test
    void anInvalidationDuringACompareAndSetWaitsAndRemovesWhatWasWritten() throws Exception {
        FileBackend writer = backend(3000);
        FileBackend b = backend(10_000);
        String key = "CASDELETE0123456789";
        b.save(key, record(4));
        LeaseFiles.Held section = writer.leases().tryAcquire(writer.casFileOf(key), "writer", 60_000);
        assertNotNull(section, "the writer checked version 4 in its section and is about to rename");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> invalidation = pool.submit(() -> b.delete(key));
            assertThrows(TimeoutException.class, () -> invalidation.get(300, TimeUnit.MILLISECONDS),
                    "the delete waits for the section");
            writer.save(key, record(5)); // the writer's rename
            writer.leases().release(section);
            assertTrue(invalidation.get(60, TimeUnit.SECONDS), "then it deletes what the writer wrote");
            assertNull(b.load(key), "the invalidated session stays gone");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The same race for an expiry claim: a compare-and-set that found the expired record (it still counts) must not
     * rename a new version over a session that was claimed, and expired, in between. The claim waits, then finds the
     * new version live and puts it back.
     */
    @Test
    void anExpiryClaimDuringACompareAndSetWaitsAndLeavesTheNewVersion() throws Exception {
        FileBackend writer = backend(3000);
        FileBackend b = backend(10_000);
        String key = "CASCLAIM0123456789";
        b.save(key, record(4, System.currentTimeMillis() - 60_000));
        LeaseFiles.Held section = writer.leases().tryAcquire(writer.casFileOf(key), "writer", 60_000);
        assertNotNull(section, "the writer checked version 4 in its section and is about to rename");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<StoredSession> claim = pool.submit(() -> b.claimExpired(key, System.currentTimeMillis()));
            assertThrows(TimeoutException.class, () -> claim.get(300, TimeUnit.MILLISECONDS),
                    "the claim waits for the section");
            writer.save(key, record(5)); // the writer's rename
            writer.leases().release(section);
            assertNull(claim.get(60, TimeUnit.SECONDS), "the session is live again: nothing to claim");
            assertEquals(5, b.load(key).version());
            assertEquals(List.of(b.fileOf(key)), filesOf(b, key), "no claim file is left behind");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Guards the session lock and the critical section being different files. */
    @Test
    void aRequestHoldingTheSessionLockCanStillCompareAndSet() throws Exception {
        FileBackend b = backend(1000);
        String key = "LOCKEDCAS0123456789";
        assertTrue(b.tryLock(key, "request-1", 30_000));
        assertTrue(b.saveIfVersion(key, record(1), 0));
        assertTrue(b.saveIfVersion(key, record(2), 1));
        assertTrue(Files.exists(b.lockFileOf(key)), "the session lock is untouched by the write");
        b.unlock(key, "request-1");
        assertFalse(Files.exists(b.lockFileOf(key)));
    }

    /** "An expired record that has not been claimed yet still counts as there." */
    @Test
    void anExpiredUnclaimedRecordStillCounts() throws Exception {
        FileBackend b = backend(1000);
        String key = "CASEXPIRED0123456789";
        b.save(key, record(7, System.currentTimeMillis() - 60_000));
        assertFalse(b.saveIfVersion(key, record(8), 0), "there is a record, expired or not");
        assertTrue(b.saveIfVersion(key, record(8), 7));
        assertEquals(8, b.load(key).version());
    }

    /** Guards the incomplete-file rule: an empty lock file is held while fresh and free once a creator must be dead. */
    @Test
    void emptyLockFileOfACreatorThatDiedIsFreeOnceStale() throws Exception {
        FileBackend b = backend(1000);
        String key = "EMPTYLOCK0123456789";
        Path lock = b.lockFileOf(key);
        Files.createDirectories(lock.getParent());
        Files.createFile(lock);
        assertFalse(b.tryLock(key, "owner-b", 30_000), "a fresh empty file is a lock being created");
        backdate(lock, b.leases().staleMillis() + 5000);
        assertTrue(b.tryLock(key, "owner-b", 30_000));
        assertEquals("owner-b", b.leases().read(lock).owner());
    }

    /** Guards the break ticket and its generations: one breaker at a time, and a dead breaker's ticket expires. */
    @Test
    void breakTicketBlocksOtherBreakersUntilItsBreakerMustBeDead() throws Exception {
        FileBackend b = backend(1000);
        String key = "TICKET0123456789";
        Path lock = b.lockFileOf(key);
        assertTrue(b.tryLock(key, "dead-node", 50));
        waitUntilLapsed(b, lock);
        Path ticket = LeaseFiles.ticketOf(lock, b.leases().read(lock).id(), 1);
        Files.createFile(ticket); // a breaker that died right after taking its ticket

        assertFalse(b.tryLock(key, "owner-b", 30_000), "another node is breaking it");
        assertEquals("dead-node", b.leases().read(lock).owner());
        backdate(ticket, b.leases().staleMillis() + 5000);
        assertTrue(b.tryLock(key, "owner-b", 30_000), "the next generation breaks it");
        assertFalse(Files.exists(ticket), "the dead breaker's ticket is removed");
        assertEquals(List.of(lock), filesOf(b, key));
    }

    /** Several nodes breaking the same lapsed lock at once: exactly one of them ends up holding it. */
    @Test
    void concurrentBreakersOfALapsedLockHaveExactlyOneWinner() throws Exception {
        List<FileBackend> nodes = List.of(backend(3000), backend(3000), backend(3000), backend(3000));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "BREAKRACE" + round + "x0123456789";
                Path lock = nodes.get(0).lockFileOf(key);
                assertTrue(nodes.get(0).tryLock(key, "dead-node", 20));
                waitUntilLapsed(nodes.get(0), lock);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    FileBackend node = nodes.get(t % nodes.size());
                    String owner = "owner-" + t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        return node.tryLock(key, owner, 30_000);
                    }));
                }
                go.countDown();
                List<String> winners = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    if (futures.get(t).get(60, TimeUnit.SECONDS)) {
                        winners.add("owner-" + t);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": " + winners);
                assertEquals(winners.get(0), nodes.get(0).leases().read(lock).owner(),
                        "the file names the one winner");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Guards the renewal: taking a lock again extends it, so it does not lapse at the first lease's end. */
    @Test
    void retakingALockRenewsItsLease() throws Exception {
        FileBackend b = backend(1000);
        String key = "RENEW0123456789";
        assertTrue(b.tryLock(key, "owner-a", 300));
        assertTrue(b.tryLock(key, "owner-a", 60_000));
        Thread.sleep(600);
        assertFalse(b.tryLock(key, "owner-b", 30_000), "the renewed lease holds past the first one");
        assertTrue(b.tryLock(key, "owner-a", 60_000));
    }

    /** Lease files are not sessions, go with clear(), and the sweep removes those of dead nodes after an hour. */
    @Test
    void leaseFilesAreNoSessionsAndDoNotOutliveTheirUse() throws Exception {
        FileBackend b = backend(1000);
        long now = System.currentTimeMillis();
        long twoHours = 2 * FileBackend.ORPHAN_AGE_MILLIS;
        Path deadLock = b.lockFileOf("DEADLOCK0123456789");
        assertTrue(b.leases().createNew(deadLock, LeaseFiles.encode("0123abcd", now - twoHours, 1000, "dead")));
        backdate(deadLock, twoHours);
        Path oldTicket = LeaseFiles.ticketOf(deadLock, "feedbeef", 1);
        Files.createFile(oldTicket);
        backdate(oldTicket, twoHours);
        Path oldLiveLock = b.lockFileOf("LONGLEASE0123456789"); // taken two hours ago with a three-hour lease
        assertTrue(b.leases().createNew(oldLiveLock,
                LeaseFiles.encode("4567abcd", now + FileBackend.ORPHAN_AGE_MILLIS, 3 * twoHours / 2, "alive")));
        backdate(oldLiveLock, twoHours);
        assertTrue(b.tryLock("HELD0123456789", "owner-a", 30_000));
        assertNotNull(b.leases().tryAcquire(b.casFileOf("HELD0123456789"), "writer", 30_000));

        assertEquals(0, b.size());
        assertTrue(b.keys().isEmpty());
        assertTrue(b.expiredKeys(now + 3 * twoHours, 100).isEmpty(), "no lease file is an expired session");
        assertTrue(Files.exists(deadLock), "the expiry scan only lists expired records");
        b.housekeep(now + 3 * twoHours);
        assertFalse(Files.exists(deadLock), "the housekeeping broke the lock of a node that died two hours ago");
        assertFalse(Files.exists(oldTicket));
        assertTrue(Files.exists(oldLiveLock), "a lease that has not lapsed stays, however old its file");
        assertTrue(Files.exists(b.lockFileOf("HELD0123456789")));

        b.clear();
        assertFalse(Files.exists(oldLiveLock));
        assertFalse(Files.exists(b.lockFileOf("HELD0123456789")));
        assertFalse(Files.exists(b.casFileOf("HELD0123456789")));
        assertTrue(b.tryLock("HELD0123456789", "owner-b", 30_000), "clear() released the lock");
        assertNull(b.load("HELD0123456789"));
    }

    /** Defence in depth, as for the session files: a key cannot place a lease file outside its shard directory. */
    @Test
    void leaseFilesOfTraversalKeysAreRefused() throws Exception {
        FileBackend b = backend(1000);
        // "x/../y" passes the session file's check (it normalizes to <shard>/y.session) but not the lease file's
        for (String key : List.of("../x", "../../x", "a/../../x", "/etc/passwd", "x/../y")) {
            assertThrows(IOException.class, () -> b.tryLock(key, "o", 1000), key);
            assertThrows(IOException.class, () -> b.unlock(key, "o"), key);
            assertThrows(IOException.class, () -> b.saveIfVersion(key, record(1), 0), key);
        }
    }
}
