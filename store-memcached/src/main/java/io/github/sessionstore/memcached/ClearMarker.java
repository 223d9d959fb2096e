package io.github.sessionstore.memcached;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The per-namespace "cleared at" marker behind {@code clear()}: one small item (on two nodes with backup) holding the
 * time of the last clear. Records and lock entries written up to it count as absent; memcached cannot list them to
 * delete them, so they go by their TTL.
 */
final class ClearMarker {

    private final Nodes nodes;
    private final String key;
    /** The marker's nodes, looked up once: every read fetches the marker. */
    private final List<Node> copies;

    ClearMarker(Nodes nodes, String key) {
        this.nodes = nodes;
        this.key = key;
        this.copies = nodes.copiesOf(key);
    }

    /** Sets the marker to now, then waits (at most 100 ms) for this clock to pass it: see MemcachedBackend.clear(). */
    void set() throws IOException {
        long deadline = nodes.deadline();
        long now = System.currentTimeMillis();
        byte[] marker = ByteBuffer.allocate(8).putLong(now).array();
        NodeAnswers<Boolean> stored = NodeAnswers.of(copies, n -> n.set(key, 0, marker), deadline);
        if (!stored.any(Boolean::booleanValue)) {
            throw stored.failure() != null ? stored.failure()
                    : new IOException("memcached did not store the clear marker");
        }
        for (int i = 0; i < 100 && System.currentTimeMillis() <= now; i++) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** The marker, issued now: from the backup node if the primary does not answer; 0 if none. */
    PendingAnswer<Long> read() {
        return read(copies.get(0).get(key));
    }

    /** A record item and the marker, both issued now. */
    record Marked(PendingAnswer<byte[]> item, PendingAnswer<Long> clearedAt) {
    }

    /**
     * Item {@code k} from {@code primary} with the marker: one operation of two keys when the marker's primary is
     * that node too (a version check on a single server, say, is then one get), else two issued at once.
     */
    Marked readWith(Node primary, String k) {
        if (copies.get(0) != primary) {
            return new Marked(primary.get(k), read());
        }
        NodeCall<byte[][]> both = primary.getPair(k, key);
        return new Marked(deadline -> both.get(deadline)[0], read(deadline -> both.get(deadline)[1]));
    }

    private PendingAnswer<Long> read(PendingAnswer<byte[]> onPrimary) {
        Node backupNode = copies.size() > 1 ? copies.get(1) : null;
        return deadline -> {
            byte[] v;
            try {
                v = onPrimary.get(deadline);
            } catch (IOException e) {
                if (backupNode == null) {
                    throw e;
                }
                v = backupNode.get(key).get(deadline);
            }
            return v == null || v.length != 8 ? 0L : ByteBuffer.wrap(v).getLong();
        };
    }

    /** The marker, read on first use only (a lock taken with a plain add needs none); 0 if it does not answer. */
    LongSupplier lazy(long deadline) {
        return new LongSupplier() {
            private Long value;

            @Override
            public long getAsLong() {
                if (value == null) {
                    value = read().getOr(deadline, 0L);
                }
                return value;
            }
        };
    }
}
