package io.github.sessionstore.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking RESP2 connection, used by the request thread that holds it: commands are written and their replies
 * read on that thread, with no hand-off to an event loop. It speaks only what the version check needs ({@code AUTH},
 * {@code SELECT}, {@code CLIENT SETNAME}, {@code HMGET}), and it bounds what it reads before it reads it: an array
 * must have one element per field asked, a bulk string over {@link #MAX_BULK} bytes is refused before it is read,
 * and any reply it does not expect is a {@link ProtocolException} (the holder closes the connection). Every read and
 * the connect are bounded by the store's {@code operationTimeout}.
 */
final class RespConnection implements Closeable {

    /** The longest bulk string read: a metadata field (a number or a principal's name); a longer one is refused. */
    static final int MAX_BULK = 64 * 1024;
    /** The longest status, error or integer line read. */
    private static final int MAX_LINE = 1024;
    static final String CLIENT_NAME = "sessionstore-check";

    /** A reply that is not what the command returns, or beyond the bounds above: the connection is unusable. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /** An error reply ({@code -ERR …}, {@code -WRONGTYPE …}): the connection stays usable. */
    static final class ErrorReply extends IOException {
        private static final long serialVersionUID = 1L;

        ErrorReply(String message) {
            super(message);
        }
    }

    /** Where and how to connect: the store's URI, resolved once (credentials included; never logged). */
    record Endpoint(String host, int port, SSLContext tls, boolean verifyHost, String username, char[] password,
            int database) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1024);
    }

    /** Connects, authenticates, selects the database and names the connection, each bounded by {@code timeout}. */
    static RespConnection open(Endpoint e, int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        Socket socket = plain;
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.setSoTimeout(timeoutMillis);
            plain.connect(new InetSocketAddress(e.host(), e.port()), timeoutMillis);
            if (e.tls() != null) {
                SSLSocket ssl = (SSLSocket) e.tls().getSocketFactory().createSocket(plain, e.host(), e.port(), true);
                socket = ssl;
                if (e.verifyHost()) {
                    SSLParameters p = ssl.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(p);
                }
                ssl.startHandshake();
            }
            RespConnection c = new RespConnection(socket);
            if (e.password() != null) {
                byte[] pass = new String(e.password()).getBytes(StandardCharsets.UTF_8);
                if (e.username() != null) {
                    c.ok(bytes("AUTH"), bytes(e.username()), pass);
                } else {
                    c.ok(bytes("AUTH"), pass);
                }
            }
            if (e.database() != 0) {
                c.ok(bytes("SELECT"), bytes(Integer.toString(e.database())));
            }
            try {
                c.ok(bytes("CLIENT"), bytes("SETNAME"), bytes(CLIENT_NAME));
            } catch (ErrorReply notAllowed) {
                // an ACL without CLIENT: the name only helps an operator read CLIENT LIST
            }
            return c;
        } catch (IOException | RuntimeException x) {
            closeQuietly(socket);
            throw x;
        }
    }

    /**
     * {@code HMGET key fields…}: each field's value, null where the field is absent.
     *
     * @throws ErrorReply an error reply (the key holds no hash, the user lacks the right): the connection is still
     *         usable
     */
    byte[][] hmget(String key, String[] fields) throws IOException {
        byte[][] args = new byte[fields.length + 2][];
        args[0] = bytes("HMGET");
        args[1] = key.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < fields.length; i++) {
            args[i + 2] = bytes(fields[i]);
        }
        write(args);
        int kind = in.read();
        if (kind == '-') {
            throw new ErrorReply(line());
        }
        if (kind != '*') {
            throw unexpected(kind);
        }
        int n = Math.toIntExact(number(line()));
        if (n != fields.length) {
            throw new ProtocolException("HMGET answered " + n + " values for " + fields.length + " fields");
        }
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            values[i] = bulk();
        }
        return values;
    }

    /** Sends a command whose reply must be {@code +OK}. */
    private void ok(byte[]... args) throws IOException {
        write(args);
        int kind = in.read();
        if (kind == '-') {
            // The server's text, e.g. "WRONGPASS invalid username-password pair": never the command's arguments
            throw new ErrorReply(new String(args[0], StandardCharsets.US_ASCII) + " refused: " + line());
        }
        if (kind != '+' || !"OK".equals(line())) {
            throw new ProtocolException(new String(args[0], StandardCharsets.US_ASCII) + " was not answered OK");
        }
    }

    private void write(byte[][] args) throws IOException {
        header('*', args.length);
        for (byte[] a : args) {
            header('$', a.length);
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    private void header(char kind, int n) throws IOException {
        out.write(kind);
        out.write(bytes(Integer.toString(n)));
        out.write('\r');
        out.write('\n');
    }

    /** A bulk string ({@code $len\r\n…\r\n}), null for {@code $-1}; its length is checked before it is read. */
    private byte[] bulk() throws IOException {
        int kind = in.read();
        if (kind != '$') {
            throw unexpected(kind);
        }
        long len = number(line());
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > MAX_BULK) {
            throw new ProtocolException("a bulk reply of " + len + " bytes is over the check's bound of " + MAX_BULK);
        }
        byte[] b = in.readNBytes((int) len);
        if (b.length != len || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("the reply ended early");
        }
        return b;
    }

    /** A line up to CRLF, at most {@link #MAX_LINE} bytes. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i <= MAX_LINE; i++) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection closed in a reply");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new ProtocolException("a reply line without CRLF");
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new ProtocolException("a reply line over " + MAX_LINE + " bytes");
    }

    private static long number(String s) throws ProtocolException {
        try {
            long n = Long.parseLong(s);
            if (n < -1 || n > Integer.MAX_VALUE) {
                throw new ProtocolException("a length out of range in a reply");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ProtocolException("a length that is not a number in a reply");
        }
    }

    private static IOException unexpected(int kind) {
        return kind < 0 ? new EOFException("the connection closed before the reply")
                : new ProtocolException("an unexpected reply type '" + (char) kind + "'");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket that failed
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }
}
