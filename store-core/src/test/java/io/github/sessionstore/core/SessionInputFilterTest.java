package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Status;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.commons.collections.functors.InvokerTransformer;
import org.junit.jupiter.api.Test;

/** The always-on structural limits and the optional allow-list, checked on synthetic filter calls. */
class SessionInputFilterTest {

    record Info(Class<?> serialClass, long arrayLength, long depth) implements ObjectInputFilter.FilterInfo {
        @Override
        public long references() {
            return 1;
        }

        @Override
        public long streamBytes() {
            return 100;
        }
    }

    @Test
    void arraysLongerThanTheStoredBytesAreRejected() {
        SessionInputFilter f = SessionInputFilter.of(null, 1000);
        assertEquals(Status.UNDECIDED, f.checkInput(new Info(byte[].class, 1000, 2)));
        assertEquals(Status.REJECTED, f.checkInput(new Info(byte[].class, Integer.MAX_VALUE, 2)),
                "a corrupt length must not allocate gigabytes");
    }

    @Test
    void nestingDeeperThanTheLimitIsRejected() {
        SessionInputFilter f = SessionInputFilter.of(null, 1000);
        assertEquals(Status.UNDECIDED, f.checkInput(new Info(String.class, -1, SessionInputFilter.MAX_DEPTH)));
        assertEquals(Status.REJECTED, f.checkInput(new Info(String.class, -1, SessionInputFilter.MAX_DEPTH + 1)));
    }

    @Test
    void allowListAdmitsSessionInternalsAndTheConfiguredClassesOnly() {
        SessionInputFilter f = SessionInputFilter.of(SessionInputFilter.allowListOf("com\\.example\\..*"), 1000);
        assertEquals(Status.ALLOWED, f.checkInput(new Info(Long.class, -1, 1)));
        assertEquals(Status.ALLOWED, f.checkInput(new Info(Object[].class, 3, 1)));
        assertEquals(Status.ALLOWED, f.checkInput(new Info(int[].class, 3, 1)));
        assertEquals(Status.REJECTED, f.checkInput(new Info(Gadget.class, -1, 2)));
        assertEquals(Status.REJECTED, f.checkInput(new Info(java.util.LinkedList.class, -1, 2)),
                "jdk-safe types are not implied by a custom list");
        SessionInputFilter jdk = SessionInputFilter.of(SessionInputFilter.allowListOf("jdk-safe"), 1000);
        assertEquals(Status.ALLOWED, f.checkInput(new Info(java.util.HashMap.class, -1, 2)));
        assertEquals(Status.ALLOWED, jdk.checkInput(new Info(java.util.TreeMap.class, -1, 2)));
        assertEquals(Status.REJECTED, jdk.checkInput(new Info(Gadget[].class, 1, 2)));
    }

    record Counts(long depth, long references, long streamBytes) implements ObjectInputFilter.FilterInfo {
        @Override
        public Class<?> serialClass() {
            return null;
        }

        @Override
        public long arrayLength() {
            return -1;
        }
    }

    @Test
    void referencesAndBytesBeyondTheLimitsAreRejected() {
        SessionInputFilter f = SessionInputFilter.of(null, 1000);
        assertEquals(Status.UNDECIDED, f.checkInput(new Counts(3, SessionInputFilter.MAX_REFERENCES, 1000)));
        assertEquals(Status.REJECTED, f.checkInput(new Counts(3, SessionInputFilter.MAX_REFERENCES + 1, 10)));
        assertEquals(Status.REJECTED, f.checkInput(new Counts(3, 10, 1001)), "no stream is longer than its bytes");
    }

    /** Guards the deny-list: known gadgets are refused with no allow-list, under jdk-safe and under any pattern. */
    @Test
    void knownGadgetsAreRefusedUnderEveryConfiguration() throws Exception {
        List<Class<?>> gadgets = List.of(InvokerTransformer.class, InvokerTransformer[].class,
                javax.management.BadAttributeValueExpException.class, javax.naming.Reference.class,
                java.rmi.server.UnicastRemoteObject.class, java.net.URL.class,
                Class.forName("sun.reflect.annotation.AnnotationInvocationHandler"),
                Class.forName("com.sun.rowset.JdbcRowSetImpl"),
                Class.forName("com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl"));
        for (String allowList : Arrays.asList(null, "jdk-safe", "com\\.example\\..*", ".*")) {
            Pattern pattern = SessionInputFilter.allowListOf(allowList);
            for (Class<?> gadget : gadgets) {
                SessionInputFilter f = SessionInputFilter.of(pattern, 1000);
                assertEquals(Status.REJECTED, f.checkInput(new Info(gadget, -1, 2)), gadget + " under " + allowList);
                assertEquals("a known deserialization gadget", f.refusal());
            }
            assertNotEquals(Status.REJECTED, SessionInputFilter.of(pattern, 1000).checkInput(
                    new Info(String.class, -1, 2)));
        }
    }

    /** Guards the limit below hashed collections: the SerialDOS bomb is refused before it costs anything. */
    @Test
    void serialDosBombIsRefusedUnderEveryConfiguration() throws Exception {
        byte[] bomb = HostileRecordContract.serialized(HostileRecordContract.serialDosBomb(
                HostileRecordContract.BOMB_LEVELS));
        assertTrue(bomb.length < 4096, "a few kilobytes");
        for (String allowList : Arrays.asList(null, "jdk-safe")) {
            SessionInputFilter f = SessionInputFilter.of(SessionInputFilter.allowListOf(allowList), bomb.length);
            long start = System.nanoTime();
            assertThrows(InvalidClassException.class, () -> read(bomb, f));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < HostileRecordContract.BOMB_MILLIS, () -> "read for " + millis + " ms");
            assertTrue(f.refusal().contains("hashed collection"), f.refusal());
        }
    }

    /** Legitimate graphs: deep lists (not hashed) up to the nesting limit, maps of lists of maps under a map. */
    @Test
    void deepButHarmlessGraphsPass() throws Exception {
        List<Object> chain = new ArrayList<>();
        List<Object> tail = chain;
        for (int i = 0; i < 50; i++) {
            List<Object> next = new ArrayList<>();
            tail.add(next);
            tail = next;
        }
        Map<String, Object> nested = new HashMap<>();
        Map<String, Object> inner = nested;
        for (int i = 0; i < 8; i++) {
            Map<String, Object> next = new HashMap<>();
            inner.put("k" + i, new ArrayList<>(List.of(next, "v")));
            inner = next;
        }
        for (Object graph : List.of(chain, nested)) {
            byte[] bytes = HostileRecordContract.serialized(graph);
            for (String allowList : Arrays.asList(null, "jdk-safe")) {
                assertEquals(graph, read(bytes, SessionInputFilter.of(SessionInputFilter.allowListOf(allowList),
                        bytes.length)));
            }
        }
    }

    private static Object read(byte[] bytes, SessionInputFilter filter) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        }
    }
}
