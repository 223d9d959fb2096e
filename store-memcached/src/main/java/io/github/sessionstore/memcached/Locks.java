package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The session lock of the pessimistic locking mode: a {@link LockItem} lease on the record's primary node and (with
 * backup) its backup node.
 */
final class Locks {

    private static final Log log = LogFactory.getLog(MemcachedBackend.class);
    private static final StringManager sm = StringManager.getManager(MemcachedBackend.class);

    /** Rounds of add / gets / cas while the entry changes under us (lapses, is released); not a wait. */
    private static final int LOCK_ATTEMPTS = 3;

    private final Nodes nodes;
    private final ClearMarker cleared;

    Locks(Nodes nodes, ClearMarker cleared) {
        this.nodes = nodes;
        this.cleared = cleared;
    }

    /*
     * The lock of a session is an item <record key>:l on the record's nodes: its primary and (with backup) its backup
     * node, taken in that order, with add (exactly one adder wins on a node). Taking it needs every node that
     * answers: a foreign entry on either means "held", and what this call took on the primary is released again.
     * So a lock survives the loss of one node (a dead primary's lock is still on the backup; a primary that comes
     * back empty cannot hand it out, the backup still refuses), and Tomcats that disagree on whether the primary is
     * up still meet on the backup. Only when both nodes lose the entry (both restart, or evict it) is it lost early.
     *
     * Held by owner already: renewed with cas (not set: it may have lapsed and been taken since the gets). A released
     * entry (RELEASED) or one written before the namespace's clear marker is free and taken over with cas.
     */
    boolean tryLock(String k, String owner, long leaseMillis) throws IOException {
        long deadline = nodes.deadline();
        long now = System.currentTimeMillis();
        String l = LockItem.key(k);
        byte[] mine = new LockItem(now, owner).bytes();
        int exp = LockItem.leaseTtl(leaseMillis, now);
        List<Node> copies = nodes.copiesOf(k);
        LongSupplier clearedAt = cleared.lazy(deadline);
        List<Node> held = new ArrayList<>(2);
        IOException failure = null;
        for (Node n : copies) {
            // Leave the backup a third of the budget when the primary hangs
            long until = n == copies.get(0) ? nodes.primaryDeadline(deadline, copies.size() > 1) : deadline;
            boolean got;
            try {
                got = acquire(n, l, owner, mine, exp, clearedAt, until);
            } catch (IOException e) {
                // This node does not answer: the other one decides alone
                failure = NodeAnswers.chain(failure, e);
                continue;
            }
            if (!got) {
                // Best effort: what this call took lapses with the lease otherwise
                try {
                    release(held, l, owner, deadline);
                } catch (IOException e) {
                    if (log.isDebugEnabled()) {
                        log.debug(sm.getString("memcached.lockNotReleased", e.getMessage()));
                    }
                }
                return false;
            }
            held.add(n);
        }
        if (held.isEmpty()) {
            throw failure;
        }
        return true;
    }

    private static boolean acquire(Node n, String l, String owner, byte[] mine, int exp, LongSupplier clearedAt,
            long deadline) throws IOException {
        for (int i = 0; i < LOCK_ATTEMPTS; i++) {
            if (n.add(l, exp, mine).get(deadline)) {
                return true;
            }
            CASValue<byte[]> cv = n.gets(l).get(deadline);
            if (cv == null) {
                continue; // lapsed in between: add again
            }
            if (!LockItem.mayTake(cv.getValue(), owner, clearedAt)) {
                return false;
            }
            if (n.cas(l, cv.getCas(), exp, mine).get(deadline) == CASResponse.OK) {
                return true;
            }
            // Changed in between (taken, released, lapsed): look again
        }
        return false;
    }

    void unlock(String k, String owner) throws IOException {
        release(nodes.copiesOf(k), LockItem.key(k), owner, nodes.deadline());
    }

    /*
     * On each node: gets, then cas to RELEASED only if the entry is still the owner's: a lease that lapsed and was
     * taken by another owner since is left alone (the cas fails), also over the text protocol, which has no
     * delete-with-cas. Throws only when no node answered.
     */
    private static void release(List<Node> on, String l, String owner, long deadline) throws IOException {
        NodeAnswers<NodeCall<CASResponse>> read = NodeAnswers.of(on, n -> {
            NodeCall<CASValue<byte[]>> entry = n.gets(l);
            return d -> {
                CASValue<byte[]> cv = entry.get(d);
                return cv != null && LockItem.ownedBy(cv.getValue(), owner)
                        ? n.cas(l, cv.getCas(), 1, LockItem.RELEASED)
                        : null;
            };
        }, deadline);
        List<NodeCall<CASResponse>> releases = read.values().stream().filter(Objects::nonNull).toList();
        IOException failure = NodeAnswers.chain(read.failure(), NodeAnswers.await(releases, deadline).failure());
        read.requireAnswer();
        if (failure != null && log.isDebugEnabled()) {
            // The entry left behind lapses with its lease
            log.debug(sm.getString("memcached.lockNotReleasedEverywhere", failure.getMessage()));
        }
    }
}
