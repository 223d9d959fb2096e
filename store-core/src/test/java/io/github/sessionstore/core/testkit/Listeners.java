package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who listens on a loopback port, from Linux's {@code /proc}: the inodes of the LISTEN sockets that take connections
 * to 127.0.0.1:port ({@code /proc/net/tcp}, {@code tcp6}), matched against the {@code socket:[inode]} links among a
 * process's (and its descendants') {@code /proc/<pid>/fd}. Where {@code /proc} cannot tell (macOS, or a process whose
 * descriptors this JVM may not read), every listener counts as the process's own, as before this check.
 */
final class Listeners {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String LISTEN = "0A";

    private Listeners() {
    }

    /** Whether {@code process} or a descendant holds a socket listening for 127.0.0.1:{@code port}. */
    static boolean ownListener(int port, ProcessHandle process) {
        Set<Long> listening = listening(port);
        if (listening == null) {
            return true;
        }
        Set<Long> own = sockets(process);
        return own == null || listening.stream().anyMatch(own::contains);
    }

    /** Whether something listens for 127.0.0.1:{@code port} and none of it is {@code process}'s (or a descendant's). */
    static boolean foreignListener(int port, ProcessHandle process) {
        Set<Long> listening = listening(port);
        if (listening == null || listening.isEmpty()) {
            return false;
        }
        Set<Long> own = sockets(process);
        return own != null && listening.stream().noneMatch(own::contains);
    }

    /** The inodes of the LISTEN sockets that take 127.0.0.1:{@code port}; null without {@code /proc/net/tcp}. */
    static Set<Long> listening(int port) {
        if (!Files.isReadable(TABLES.get(0))) {
            return null;
        }
        Set<Long> inodes = new HashSet<>();
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue; // no IPv6 here
            }
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !LISTEN.equals(f[3])) {
                    continue;
                }
                int colon = f[1].indexOf(':');
                if (Integer.parseInt(f[1].substring(colon + 1), 16) == port
                        && takesLoopback(f[1].substring(0, colon))) {
                    inodes.add(Long.parseLong(f[9]));
                }
            }
        }
        return inodes;
    }

    /**
     * Whether a listener on this address (the kernel's hex: 32-bit words in host byte order) takes connections to
     * 127.0.0.1: that address, the wildcard, or IPv4-mapped 127.0.0.1 (Java makes that an Inet4Address).
     */
    private static boolean takesLoopback(String hex) {
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < hex.length(); i += 8) {
            bytes.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
        }
        try {
            InetAddress a = InetAddress.getByAddress(bytes.array());
            return a.isAnyLocalAddress() || "127.0.0.1".equals(a.getHostAddress());
        } catch (IOException e) {
            return false;
        }
    }

    /** The socket inodes {@code process} and its descendants hold; null when a descriptor table is unreadable. */
    static Set<Long> sockets(ProcessHandle process) {
        Set<Long> inodes = new HashSet<>();
        List<ProcessHandle> tree = Stream.concat(Stream.of(process), process.descendants()).toList();
        for (ProcessHandle h : tree) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(h.pid()), "fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException gone) {
                        continue; // closed meanwhile
                    }
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                }
            } catch (NoSuchFileException exited) {
                // gone meanwhile: it holds nothing
            } catch (IOException e) {
                return null;
            }
        }
        return inodes;
    }
}
