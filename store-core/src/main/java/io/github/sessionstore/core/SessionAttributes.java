package io.github.sessionstore.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import org.apache.catalina.session.StandardSession;

/**
 * A session's attributes as a map that a flush reads, without the set {@link StandardSession#getAttributeNames()}
 * copies on every call and the lookup per name after it: the session's own map, read through a handle on Tomcat's
 * protected {@code attributes} field, never written. Where the field cannot be read (a Tomcat that renamed it, a
 * module that does not open it), a copy made through the public API instead, chosen once.
 */
final class SessionAttributes {

    /** Tomcat's field, or {@code null} where it cannot be read. */
    private static final MethodHandle FIELD = field();

    private static final Function<StandardSession, Map<String, Object>> COPY = SessionAttributes::copy;

    private static final Function<StandardSession, Map<String, Object>> READ = FIELD == null ? COPY
            : SessionAttributes::field;

    private SessionAttributes() {
    }

    /** The attributes of {@code session}, which must be valid; only to read. */
    static Map<String, Object> of(StandardSession session) {
        return READ.apply(session);
    }

    /** Whether the session's own map is read (else a copy through the public API). */
    static boolean direct() {
        return READ != COPY;
    }

    /** A copy of the attributes of {@code session} made through the public API: where the field cannot be read. */
    static Map<String, Object> copy(StandardSession session) {
        Map<String, Object> copy = new HashMap<>();
        for (String name : Collections.list(session.getAttributeNames())) {
            Object value = session.getAttribute(name);
            if (value != null) {
                copy.put(name, value);
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> field(StandardSession session) {
        try {
            return (ConcurrentMap<String, Object>) FIELD.invokeExact(session);
        } catch (Throwable unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    private static MethodHandle field() {
        try {
            return MethodHandles.privateLookupIn(StandardSession.class, MethodHandles.lookup())
                    .findGetter(StandardSession.class, "attributes", ConcurrentMap.class);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            return null;
        }
    }
}
