package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.catalina.core.StandardContext;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;

/** The shell from the template is, byte for byte, the shell a serialization writes. */
class ShellTemplateTest {

    private static StandardSession session(String id, long created, long accessed, int timeout) {
        StandardManager manager = new StandardManager();
        manager.setContext(new StandardContext());
        StandardSession s = new StandardSession(manager);
        s.setValid(true);
        s.setId(id, false);
        s.setCreationTime(created);
        s.setMaxInactiveInterval(timeout);
        if (accessed != created) {
            s.access();
            s.endAccess();
        }
        return s;
    }

    private static void assertSameAsSerialized(StandardSession s) throws Exception {
        for (boolean isNew : new boolean[] { true, false }) {
            byte[] fromTemplate = ShellTemplate.write(s, isNew);
            assertNotNull(fromTemplate);
            assertArrayEquals(SessionShell.serialized(new PartStream(), s, isNew), fromTemplate,
                    s.getIdInternal() + " isNew=" + isNew);
        }
    }

    @Test
    void theTemplateWritesWhatASerializationWrites() throws Exception {
        assertSameAsSerialized(session("0123456789ABCDEF0123456789ABCDEF", 1_764_651_600_123L, 0, 1800));
        assertSameAsSerialized(session("A.node-7_x", 1_764_651_600_123L, 1, 128));
        assertSameAsSerialized(session("s", 1_000L, 1, -129));
        assertSameAsSerialized(session("x".repeat(300), Long.MAX_VALUE, 0, Integer.MAX_VALUE));
        assertSameAsSerialized(session("neg", -1_000L, 0, Integer.MIN_VALUE));
    }

    /** Where boxing would share one object between two values (a back reference), the shell is serialized. */
    @Test
    void valuesTheBoxingCachesShareHaveNoTemplate() {
        assertNull(ShellTemplate.write(session("a", 1_764_651_600_123L, 0, 0), false), "a timeout of 0 is the count's 0");
        assertNull(ShellTemplate.write(session("a", 1_764_651_600_123L, 0, 127), false));
        assertNull(ShellTemplate.write(session("a", 42L, 0, 1800), false), "a cached timestamp");
        assertNull(ShellTemplate.write(session("caf\u00e9", 1_764_651_600_123L, 0, 1800), false), "not ASCII");
        assertNull(ShellTemplate.write(session("x".repeat(0x10000), 1_764_651_600_123L, 0, 1800), false), "long");
    }
}
