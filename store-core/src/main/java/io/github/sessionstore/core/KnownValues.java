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
 * its serialized form and that form's digest, kept as a transient session note with the session's attribute names
 * at that flush, sorted. Such a value, still held by the same reference, cannot have changed in place, so the next
 * flush takes its bytes and digest from here instead of serializing it again: a session full of unchanged
 * {@code String}s costs no encode, and a write of it copies their bytes. Any other value (a collection, a bean, a
 * subclass of an immutable type) is serialized on every flush, which is how a change made in place is seen. While the
 * names stay the same, a flush reads the session's attributes straight into their sorted places (one lookup each,
 * no sort, no copy of the names). The price is memory: a node holds these values' serialized form beside them.
 */
final class KnownValues {

    static final String NOTE = "io.github.sessionstore.core.KnownValues";

    private static final KnownValues NONE = new KnownValues(new String[0], Map.of(), new Known[0]);

    /** Exact classes only: a subclass (of {@code BigInteger}, say) may add mutable state. */
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class, BigDecimal.class,
            UUID.class, Instant.class, Duration.class, Period.class, LocalDate.class, LocalTime.class,
            LocalDateTime.class, OffsetTime.class, OffsetDateTime.class, ZonedDateTime.class, ZoneOffset.class,
            Year.class, YearMonth.class, MonthDay.class);

    /** Every attribute name of the session at the last flush, sorted. */
    private final String[] sortedNames;
    /** Each of {@link #sortedNames}' place in it; successive notes share it while the names stay the same. */
    private final Map<String, Integer> places;
    /** By place: the immutable value known there, or {@code null}. */
    private final Known[] known;

    private KnownValues(String[] sortedNames, Map<String, Integer> places, Known[] known) {
        this.sortedNames = sortedNames;
        this.places = places;
        this.known = known;
    }

    /** {@code bytes}: the value's complete serialization stream, as a record's frame holds it. */
    record Known(Object value, byte[] bytes, byte[] digest) {
    }

    /**
     * A session's attributes sorted by name, {@code values} beside {@code names} (a value may be {@code null}: an
     * attribute removed while the flush read them). {@code knownNames}: the names are the note's own array, which
     * must not be changed.
     */
    record Attributes(String[] names, Object[] values, boolean knownNames) {
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
     * The attributes of {@code session} (valid) sorted by name: put straight into the last flush's places when the
     * names are the same set, which is the common case (a session's attributes rarely come and go), else sorted.
     */
    Attributes attributes(StandardSession session) {
        Map<String, Object> map = SessionAttributes.of(session);
        int n = sortedNames.length;
        if (n > 0 && map.size() == n) {
            Object[] values = new Object[n];
            int placed = 0;
            for (Map.Entry<String, Object> e : map.entrySet()) {
                Integer place = places.get(e.getKey());
                if (place == null || values[place] != null) {
                    break; // a name the last flush did not have (or the map changed while read)
                }
                values[place] = e.getValue();
                placed++;
            }
            if (placed == n) {
                return new Attributes(sortedNames, values, true);
            }
        }
        String[] names = map.keySet().toArray(new String[0]);
        Arrays.sort(names);
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = map.get(names[i]);
        }
        return new Attributes(names, values, false);
    }

    /** What this node serialized for the value at {@code i} of {@code a}, if it did for that very object there. */
    Known get(Attributes a, int i) {
        Known k;
        if (a.knownNames) {
            k = known[i];
        } else {
            Integer place = places.get(a.names[i]);
            k = place == null ? null : known[place];
        }
        return k != null && k.value == a.values[i] ? k : null;
    }

    /**
     * Remember {@code a}'s names and the immutable values a flush stored as the session's note, unless they are
     * exactly the ones already known (then the note stays as it is).
     *
     * @param kept by place in {@code a}: each immutable value stored, as {@link #get} answered it or newly
     *             serialized; {@code null} for every other place
     */
    void remember(StandardSession session, Attributes a, Known[] kept) {
        if (a.knownNames && same(kept)) {
            return;
        }
        session.setNote(NOTE, a.names.length == 0 ? NONE
                : new KnownValues(a.names, a.knownNames ? places : placesOf(a.names), kept));
    }

    private boolean same(Known[] kept) {
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != known[i]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Integer> placesOf(String[] names) {
        Map<String, Integer> places = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            places.put(names[i], i);
        }
        return places;
    }
}
