package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The soak's readers of /proc: threads, descriptors, and the connections to the store server's port. */
class ProcStatsTest {

    // /proc/net/tcp's shape (proc(5)): addresses as hex ip:port; 0x18EB = 6379, 0x1F90 = 8080; st 01 ESTABLISHED,
    // 0A LISTEN, 06 TIME_WAIT; the inode is the tenth field
    private static final List<String> TCP = List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000   100        0 111 1",
            "   1: 0100007F:A2C4 0100007F:18EB 01 00000000:00000000 00:00000000 00000000  1000        0 222 1",
            "   2: 0100007F:A2C6 0100007F:18EB 01 00000000:00000000 00:00000000 00000000  1000        0 333 1",
            "   3: 0100007F:A2C8 0100007F:18EB 06 00000000:00000000 00:00000000 00000000  1000        0 444 1",
            "   4: 0100007F:A2CA 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 555 1",
            "   5: 0100007F:A2CC 0100007F:18EB 01 00000000:00000000 00:00000000 00000000   100        0 666 1");

    @Test
    void onlyTheProcessesOwnEstablishedConnectionsToThePortCount() {
        // 222 and 333: ours, established, to 6379; 444 is TIME_WAIT, 555 another port, 666 another process's
        assertEquals(2, ProcStats.connections(TCP, Set.of(222L, 333L, 444L, 555L), 6379));
        assertEquals(1, ProcStats.connections(TCP, Set.of(555L), 8080));
        assertEquals(0, ProcStats.connections(TCP, Set.of(111L), 6379), "a listening socket is no connection");
        assertEquals(0, ProcStats.connections(TCP.subList(0, 1), Set.of(222L), 6379), "header only");
    }

    @Test
    void socketInodeOfADescriptorLink() {
        assertEquals(12345, ProcStats.socketInode("socket:[12345]"));
        assertEquals(-1, ProcStats.socketInode("/tmp/x.log"));
        assertEquals(-1, ProcStats.socketInode("pipe:[12345]"));
    }

    @Test
    void threadsFromTheStatusFile() {
        assertEquals(42, ProcStats.threads(List.of("Name:\tjava", "Threads:\t42", "VmRSS:\t1 kB")));
        assertThrows(IllegalArgumentException.class, () -> ProcStats.threads(List.of("Name:\tjava")));
    }

    @Test
    void ownProcessesConnectionDescriptorsAndThreadsAreReadAndAMissingOneReadsMinusOne() throws Exception {
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            return; // not Linux: the soak's columns stay empty
        }
        long pid = ProcessHandle.current().pid();
        try (ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            long before = ProcStats.connections(pid, server.getLocalPort());
            long fds = ProcStats.fds(pid);
            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                    Socket accepted = server.accept()) {
                // The accepted side's remote port is the client's, not the server's: one connection to the port
                assertEquals(before + 1, ProcStats.connections(pid, server.getLocalPort()));
                assertTrue(ProcStats.fds(pid) >= fds + 2, "two more sockets open");
            }
        }
        assertTrue(ProcStats.threads(pid) >= 1);
        assertEquals(-1, ProcStats.threads(Long.MAX_VALUE));
        assertEquals(-1, ProcStats.fds(Long.MAX_VALUE));
        assertEquals(-1, ProcStats.connections(Long.MAX_VALUE, 6379));
    }
}
