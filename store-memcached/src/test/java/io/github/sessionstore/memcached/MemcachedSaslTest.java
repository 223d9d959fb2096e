package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.FlushResult;
import io.github.sessionstore.core.StoreNode;

/**
 * SASL against a real memcached started with {@code -S}: the right credentials work (the whole contract runs so in
 * {@link MemcachedSaslContractTest}); a wrong password or none fails closed, says so in the log, and the password
 * shows in no log line, in no getter and over no JMX attribute.
 */
class MemcachedSaslTest {

    private static final String USER = "tomcat";
    private static final String PASSWORD = "right-" + UUID.randomUUID();
    private static final String WRONG = "wrong-" + UUID.randomUUID();
    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.sasl(USER, PASSWORD);
    private final List<StoreNode> nodes = new ArrayList<>();
    private final String prefix = "s" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @AfterEach
    void closeNodes() throws Exception {
        for (StoreNode n : nodes) {
            n.close();
        }
    }

    private StoreNode node(String user, String password) throws Exception {
        MemcachedStore store = new MemcachedStore();
        store.setServers(fixture.servers);
        store.setKeyPrefix(prefix);
        store.setOperationTimeout(1000);
        if (user != null) {
            store.setUsername(user);
            store.setPassword(password);
        }
        StoreNode n = new StoreNode(store, "localhost", "/sasl");
        nodes.add(n);
        return n;
    }

    /** A session write that succeeds once the client has connected and authenticated (bounded). */
    private static FlushResult writeWithin(StoreNode n, StandardSession s, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        FlushResult r;
        do {
            r = n.endRequest(s);
            if (r == FlushResult.WRITTEN) {
                return r;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return r;
    }

    @Test
    void theRightCredentialsRoundTripASession() throws Exception {
        StoreNode a = node(USER, PASSWORD);
        StoreNode b = node(USER, PASSWORD);
        StandardSession s = a.newSession(600);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, writeWithin(a, s, 5000));
        StandardSession loaded = b.load(s.getId());
        assertNotNull(loaded, "node B reads node A's session over SASL");
        assertEquals("alice", loaded.getAttribute("user"));
    }

    @Test
    void aWrongPasswordFailsClosedAndIsNeverShown() throws Exception {
        StoreNode good = node(USER, PASSWORD);
        StandardSession kept = good.newSession(600);
        kept.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, writeWithin(good, kept, 5000));

        try (Capture log = new Capture()) {
            StoreNode bad = node(USER, WRONG);
            StandardSession s = bad.newSession(600);
            s.setAttribute("user", "mallory");
            assertEquals(FlushResult.FAILED, writeWithin(bad, s, 3000), "nothing is written without authentication");
            assertNull(bad.load(kept.getId()), "nothing is read without authentication");
            assertEquals("****", ((MemcachedStore) bad.store).getPassword());
            for (Object v : mbeanValues()) {
                assertFalse(String.valueOf(v).contains(WRONG), "JMX shows the password: " + v);
            }
            String text = log.text();
            assertTrue(log.storeLines().stream().anyMatch(l -> l.contains("not authenticated (SASL")),
                    "the store's log says authentication may have failed:\n" + text);
            assertFalse(text.contains(WRONG), "the password is in the log");
            assertFalse(text.contains(PASSWORD), "the other node's password is in the log");
        }
        assertNotNull(good.load(kept.getId()), "the authenticated node still works");
    }

    @Test
    void noCredentialsFailClosed() throws Exception {
        StoreNode none = node(null, null);
        StandardSession s = none.newSession(600);
        s.setAttribute("user", "mallory");
        assertEquals(FlushResult.FAILED, writeWithin(none, s, 3000), "a server with -S refuses anonymous writes");
    }

    /** Every attribute value of every sessionstore MBean registered now. */
    private static List<Object> mbeanValues() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<Object> out = new ArrayList<>();
        for (ObjectName name : server.queryNames(null, null)) {
            if (!name.toString().toLowerCase().contains("sessionstore")) {
                continue;
            }
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                try {
                    out.add(server.getAttribute(name, a.getName()));
                } catch (Exception e) {
                    out.add(e.getMessage());
                }
            }
        }
        assertFalse(out.isEmpty(), "no sessionstore MBean was found");
        return out;
    }

    /**
     * Everything logged while open: java.util.logging (JULI, the store's log) at every level, and standard error and
     * output (spymemcached's default logger writes there).
     */
    private static final class Capture extends Handler implements AutoCloseable {
        private final Logger root = Logger.getLogger("");
        private final Level rootLevel = root.getLevel();
        private final PrintStream err = System.err;
        private final PrintStream out = System.out;
        private final ByteArrayOutputStream streams = new ByteArrayOutputStream();
        private final StringBuilder records = new StringBuilder();
        private final List<String> storeLines = new ArrayList<>();

        Capture() {
            setLevel(Level.ALL);
            root.setLevel(Level.ALL);
            root.addHandler(this);
            System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
        }

        private OutputStream tee(PrintStream original) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    synchronized (streams) {
                        streams.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    original.write(b, off, len);
                    synchronized (streams) {
                        streams.write(b, off, len);
                    }
                }
            };
        }

        String text() {
            synchronized (streams) {
                synchronized (this) {
                    return records + streams.toString(StandardCharsets.UTF_8);
                }
            }
        }

        /** The lines of the store's own loggers. */
        synchronized List<String> storeLines() {
            return List.copyOf(storeLines);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            String message = new java.util.logging.SimpleFormatter().formatMessage(r);
            if (String.valueOf(r.getLoggerName()).startsWith("io.github.sessionstore")) {
                storeLines.add(message);
            }
            records.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(message)
                    .append('\n');
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                records.append("  ").append(t).append('\n');
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            root.removeHandler(this);
            root.setLevel(rootLevel);
            System.setErr(err);
            System.setOut(out);
        }
    }
}
