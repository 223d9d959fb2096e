package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The configured memcached servers, one {@link Node} each, and where a key lives: its primary node on the consistent
 * hash {@link Ring} and, with backup, the next other node of the ring. Also the request deadline, which every
 * operation of the backend shares among its nodes.
 */
final class Nodes {

    /** How long close() lets the clients drain their queues, all together. */
    static final long DRAIN_MILLIS = 1000;
    /** How long close() then waits for the clients' IO threads to end, all together. */
    static final long STOP_MILLIS = 2000;

    private final List<Node> nodes;
    private final Ring ring;
    private final boolean backup;
    private final long timeoutNanos;

    Nodes(List<String> servers, boolean binary, boolean backup, long timeoutMillis, String username, String password)
            throws IOException {
        this.ring = new Ring(servers);
        this.backup = backup && servers.size() > 1;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Node> list = new ArrayList<>();
        try {
            for (String s : servers) {
                list.add(Node.open(s, binary, timeoutMillis, username, password));
            }
        } catch (IOException | RuntimeException e) {
            close(list);
            throw e;
        }
        this.nodes = List.copyOf(list);
        awaitConnections(System.nanoTime() + timeoutNanos);
    }

    /*
     * The clients connect (and with SASL authenticate) in the background; with FailureMode.Cancel an op issued before
     * that would fail. Wait a bounded time for them, but start anyway when memcached is down: the clients keep
     * reconnecting by themselves.
     */
    private void awaitConnections(long deadline) {
        for (Node n : nodes) {
            while (!n.connected() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!n.connected()) {
                n.markDown("no connection yet");
            } else if (!n.awaitAuthenticated(deadline)) {
                n.markDown("no authenticated connection yet");
            }
        }
    }

    /** Whether keys have a backup copy on a second node. */
    boolean backup() {
        return backup;
    }

    /** The deadline of an operation starting now: the operation timeout from now, for all its nodes together. */
    long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    /** How long the primary may take: leave the backup a third of the budget when the primary hangs. */
    long primaryDeadline(long deadline, boolean withBackup) {
        return withBackup ? deadline - timeoutNanos / 3 : deadline;
    }

    Node primaryOf(String itemKey) {
        return nodes.get(ring.primary(itemKey));
    }

    /** The nodes holding a copy of the key: its primary, then its backup if any. */
    List<Node> copiesOf(String itemKey) {
        if (!backup) {
            return List.of(primaryOf(itemKey));
        }
        int[] c = ring.copies(itemKey);
        return c[1] < 0 ? List.of(nodes.get(c[0])) : List.of(nodes.get(c[0]), nodes.get(c[1]));
    }

    /** How many servers have a live connection. */
    int connected() {
        int n = 0;
        for (Node node : nodes) {
            if (node.connected()) {
                n++;
            }
        }
        return n;
    }

    void close() {
        close(nodes);
    }

    /*
     * Every client's connection and IO thread, bounded: each client first drains what is still queued (the re-prime
     * adds nobody awaits), all of them within DRAIN_MILLIS together, then the IO threads get STOP_MILLIS to end. A
     * server that is down costs no wait: its client has nothing to drain and its thread ends at once.
     */
    private static void close(List<Node> nodes) {
        long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        for (Node n : nodes) {
            n.shutdown(drainDeadline);
        }
        long stopDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
        for (Node n : nodes) {
            n.awaitStopped(stopDeadline);
        }
    }
}
