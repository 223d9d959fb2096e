package io.github.sessionstore.memcached;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ketama-style consistent hashing over the configured servers (160 points per server, MD5), plus the backup node of a
 * key: the next <em>other</em> server clockwise on the ring. Built from the servers' {@code host:port} strings only,
 * so every Tomcat with the same {@code servers} setting (in any order) routes every key to the same two nodes.
 */
final class Ring {

    private static final int POINTS_PER_SERVER = 160;
    private static final MessageDigest MD5 = newMd5();

    private final TreeMap<Long, Integer> points = new TreeMap<>();
    private final int size;

    Ring(List<String> servers) {
        this.size = servers.size();
        for (int s = 0; s < servers.size(); s++) {
            for (int i = 0; i < POINTS_PER_SERVER / 4; i++) {
                byte[] d = md5(servers.get(s) + "-" + i);
                for (int h = 0; h < 4; h++) {
                    points.putIfAbsent(hashAt(d, h), s);
                }
            }
        }
    }

    /** Index of the server that holds {@code key}. */
    int primary(String key) {
        return size == 1 ? 0 : entryFor(key).getValue();
    }

    /** Index of the server that holds the backup copy of {@code key}, or -1 with a single server. */
    int backup(String key) {
        return size < 2 ? -1 : backupAfter(entryFor(key));
    }

    /** {@link #primary} and {@link #backup} of {@code key} from one hash of it; no hash at all with one server. */
    int[] copies(String key) {
        if (size == 1) {
            return new int[] { 0, -1 };
        }
        Map.Entry<Long, Integer> e = entryFor(key);
        return new int[] { e.getValue(), backupAfter(e) };
    }

    private int backupAfter(Map.Entry<Long, Integer> e) {
        int primary = e.getValue();
        Map.Entry<Long, Integer> next = e;
        // Bounded: every server owns points, so another one comes within one turn of the ring
        for (int i = 0; i < points.size(); i++) {
            next = points.higherEntry(next.getKey());
            if (next == null) {
                next = points.firstEntry();
            }
            if (next.getValue() != primary) {
                return next.getValue();
            }
        }
        return -1;
    }

    private Map.Entry<Long, Integer> entryFor(String key) {
        Map.Entry<Long, Integer> e = points.ceilingEntry(hashAt(md5(key), 0));
        return e != null ? e : points.firstEntry();
    }

    private static long hashAt(byte[] d, int h) {
        return ((long) (d[3 + h * 4] & 0xff) << 24) | ((long) (d[2 + h * 4] & 0xff) << 16)
                | ((long) (d[1 + h * 4] & 0xff) << 8) | (d[h * 4] & 0xff);
    }

    /** A clone of one MD5 instance: cheaper than a provider lookup per key. */
    private static byte[] md5(String s) {
        MessageDigest d;
        try {
            d = (MessageDigest) MD5.clone();
        } catch (CloneNotSupportedException e) {
            d = newMd5();
        }
        return d.digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }
}
