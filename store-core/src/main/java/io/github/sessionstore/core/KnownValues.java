package io.github.sessionstore.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.catalina.session.StandardSession;

/**
 * The attribute values of immutable JDK types that this node last serialized for a session, each by reference with
 * its serialized form and that form's digest, kept as a transient session note. Such a value, still held by the same
 * reference, cannot have changed in place, so the next flush takes its bytes and digest from here instead of
 * serializing it again: a session full of unchanged {@code String}s costs no encode, and a write of it copies their
 * bytes. Any other value (a collection, a bean, a subclass of an immutable type) is serialized on every flush, which
 * is how a change made in place is seen. The price is memory: a node holds these values' serialized form beside them.
 */
final class KnownValues {

    static final String NOTE = "io.github.sessionstore.core.KnownValues";

    private static final String[] NO_NAMES = new String[0];

    private static final KnownValues NONE = new KnownValues(Map.of(), NO_NAMES);

    /** Exact classes only: a subclass (of {@code BigInteger}, say) may add mutable state. */
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class, BigDecimal.class,
            UUID.class, Instant.class, Duration.class, Period.class, LocalDate.class, LocalTime.class,
            LocalDateTime.class, OffsetTime.class, OffsetDateTime.class, ZonedDateTime.class, ZoneOffset.class,
            Year.class, YearMonth.class, MonthDay.class);

    private final Map<String, Known> byName;
    /** Every attribute name of the session at the last flush, sorted: what the next one reuses if the set is the same. */
    private final String[] sortedNames;
    /** {@link #sortedNames} as a set, built on first use. */
    private Set<String> nameSet;

    private KnownValues(Map<String, Known> byName, String[] sortedNames) {
        this.byName = byName;
        this.sortedNames = sortedNames;
    }

    /** {@code bytes}: the value's complete serialization stream, as a record's frame holds it. */
    record Known(Object value, byte[] bytes, byte[] digest) {
    }

    /** The note of {@code session}; empty when it has none. */
    static KnownValues of(StandardSession session) {
        return session.getNote(NOTE) instanceof KnownValues known ? known : NONE;
    }

    /**
     * Whether {@code value} serializes to the same bytes for as long as it is referenced: an immutable JDK type, or
     * an enum constant (serialized by name).
     */
    static boolean immutable(Object value) {
        return IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?>;
    }

    /**
     * {@code names} (the session's attribute names now, in any order) sorted: the last flush's sorted names when they
     * are the same set, else {@code names} itself, sorted. The session's attributes rarely come and go, so a flush
     * seldom sorts. The array returned must not be changed: it may be this note's.
     */
    String[] sorted(String[] names) {
        if (names.length == sortedNames.length && names.length > 0) {
            Set<String> last = nameSet;
            if (last == null) {
                last = nameSet = Set.of(sortedNames);
            }
            boolean same = true;
            for (String n : names) {
                if (!last.contains(n)) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return sortedNames;
            }
        }
        Arrays.sort(names);
        return names;
    }

    /** What this node serialized for {@code value}, if it did for that very object under {@code name}. */
    Known get(String name, Object value) {
        Known k = byName.get(name);
        return k != null && k.value == value ? k : null;
    }

    /**
     * Remember the session's sorted attribute names and the immutable values among a flush's storable attributes as
     * the session's note, unless they are exactly the ones already known (then the note stays as it is).
     *
     * @param sortedNames every attribute name of the session, sorted ({@link #sorted})
     * @param reused      how many of the values {@link #get} answered (all immutable)
     * @param immutables  how many of the values are immutable, the reused ones included
     */
    void remember(StandardSession session, String[] sortedNames, String[] names, Object[] values, byte[][] bytes,
            byte[][] digests, int count, int reused, int immutables) {
        if (immutables == reused && reused == byName.size() && Arrays.equals(sortedNames, this.sortedNames)) {
            return;
        }
        Map<String, Known> next = new HashMap<>();
        for (int i = 0; i < count; i++) {
            if (immutable(values[i])) {
                next.put(names[i], new Known(values[i], bytes[i], digests[i]));
            }
        }
        session.setNote(NOTE, next.isEmpty() && sortedNames.length == 0 ? NONE
                : new KnownValues(next, sortedNames));
    }
}
