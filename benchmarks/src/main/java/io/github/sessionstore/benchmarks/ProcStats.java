package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the soak reads of a node process from Linux's {@code /proc}: its live threads ({@code status}), its open file
 * descriptors ({@code fd/}) and its established TCP connections to the store server's port (the socket inodes among
 * its descriptors, looked up in {@code net/tcp} and {@code net/tcp6}). Each reading is -1 when it cannot be made (no
 * /proc, process gone).
 */
final class ProcStats {

    /** {@code st} 01 of {@code /proc/net/tcp}: ESTABLISHED. */
    private static final String ESTABLISHED = "01";

    private ProcStats() {
    }

    static long threads(long pid) {
        try {
            return threads(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The {@code Threads:} line of a {@code /proc/<pid>/status} file. */
    static long threads(List<String> status) {
        for (String line : status) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalArgumentException("no Threads: line in /proc/<pid>/status");
    }

    static long fds(long pid) {
        Set<Long> ignored = new HashSet<>();
        return fds(pid, ignored);
    }

    /** Counts the process's descriptors and collects the inodes of its sockets into {@code sockets}. */
    private static long fds(long pid, Set<Long> sockets) {
        long n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                n++;
                try {
                    long inode = socketInode(Files.readSymbolicLink(fd).toString());
                    if (inode >= 0) {
                        sockets.add(inode);
                    }
                } catch (IOException e) {
                    // closed since the listing
                }
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The inode of a descriptor's link text {@code socket:[12345]}, or -1 for anything else. */
    static long socketInode(String link) {
        if (!link.startsWith("socket:[") || !link.endsWith("]")) {
            return -1;
        }
        return Long.parseLong(link.substring(8, link.length() - 1));
    }

    /** The process's established TCP connections to {@code port} (any address), or -1. */
    static long connections(long pid, int port) {
        Set<Long> sockets = new HashSet<>();
        if (fds(pid, sockets) < 0) {
            return -1;
        }
        long n = 0;
        boolean read = false;
        for (String table : new String[] { "tcp", "tcp6" }) {
            try {
                n += connections(Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table),
                        StandardCharsets.US_ASCII), sockets, port);
                read = true;
            } catch (IOException | RuntimeException e) {
                // no IPv6 table: the other counts
            }
        }
        return read ? n : -1;
    }

    /**
     * The lines of a {@code /proc/net/tcp} table (header first) that are ESTABLISHED, whose remote port is
     * {@code port} and whose inode is one of {@code sockets}: the table lists the whole network namespace, the inodes
     * say which connections are the process's own.
     */
    static long connections(List<String> table, Set<Long> sockets, int port) {
        long n = 0;
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            String remote = f[2];
            int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
            if (remotePort == port && f[3].equals(ESTABLISHED) && sockets.contains(Long.parseLong(f[9]))) {
                n++;
            }
        }
        return n;
    }
}
