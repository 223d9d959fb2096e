package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The check connection's reply parsing against a scripted peer on loopback (a unit test: the real server is in
 * {@link RedisCheckConnectionsTest}): whatever the peer answers, the read is bounded before it starts, and a reply the
 * command cannot return is refused at once rather than waited on.
 */
class RespConnectionTest {

    private static final String[] FIELDS = { "v", "a", "m", "e", "p" };
    private final ExecutorService peerThread = Executors.newSingleThreadExecutor();
    private ServerSocket peer;

    @AfterEach
    void stop() throws Exception {
        peerThread.shutdownNow();
        if (peer != null) {
            peer.close();
        }
    }

    /** A peer that answers the connection's CLIENT SETNAME with +OK, then each later command with the next reply. */
    private RespConnection connectTo(List<String> replies) throws Exception {
        peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        peerThread.submit(() -> {
            try (Socket s = peer.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[4096];
                in.read(buf); // CLIENT SETNAME
                out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                for (String reply : replies) {
                    in.read(buf);
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                in.read(buf); // hold the connection open until the client closes it
            }
            return null;
        });
        return RespConnection.open(new RespConnection.Endpoint("127.0.0.1", peer.getLocalPort(), null, false, null,
                null, 0), 10_000);
    }

    @Test
    void aWellFormedReplyIsRead() throws Exception {
        try (RespConnection c = connectTo(List.of("*5\r\n$1\r\n7\r\n$-1\r\n$3\r\n600\r\n$2\r\n99\r\n$0\r\n\r\n"))) {
            byte[][] v = c.hmget("k", FIELDS);
            assertArrayEquals("7".getBytes(StandardCharsets.US_ASCII), v[0]);
            assertNull(v[1]);
            assertArrayEquals(new byte[0], v[4]);
        }
    }

    @Test
    void aBulkOverTheBoundIsRefusedBeforeItIsRead() throws Exception {
        try (RespConnection c = connectTo(List.of("*5\r\n$2000000000\r\n"))) {
            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(RespConnection.ProtocolException.class, () -> c.hmget("k", FIELDS)));
        }
    }

    @Test
    void anArrayOfAnotherLengthIsRefused() throws Exception {
        try (RespConnection c = connectTo(List.of("*100000000\r\n"))) {
            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(RespConnection.ProtocolException.class, () -> c.hmget("k", FIELDS)));
        }
    }

    @Test
    void anEndlessLineIsRefused() throws Exception {
        try (RespConnection c = connectTo(List.of("*" + "9".repeat(3000)))) {
            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(RespConnection.ProtocolException.class, () -> c.hmget("k", FIELDS)));
        }
    }

    @Test
    void anErrorReplyIsReportedAsSuch() throws Exception {
        try (RespConnection c = connectTo(List.of("-WRONGTYPE Operation against a key\r\n"))) {
            assertThrows(RespConnection.ErrorReply.class, () -> c.hmget("k", FIELDS));
        }
    }
}
