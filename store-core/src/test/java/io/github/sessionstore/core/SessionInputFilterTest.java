package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Status;

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
}
