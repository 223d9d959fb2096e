package io.github.sessionstore.core;

import java.io.ObjectInputFilter;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.Cookie;

/**
 * The {@link ObjectInputFilter} on every session read (one instance per stream: it keeps state), on top of the
 * Manager's {@code sessionAttributeValueClassNameFilter}. Under every configuration: the {@link GadgetDenyList}, and
 * structural limits (no array longer than the stored bytes, so a corrupt length cannot allocate gigabytes; bounded
 * nesting, references and bytes; and shallow nesting below a collection that hashes its elements while it is read,
 * which is what makes a shared graph of a few kilobytes cost exponential time: the SerialDOS bomb). Then the optional
 * allow-list of classes, under which a class matching neither the session internals nor the configured pattern is
 * rejected before it is instantiated.
 */
final class SessionInputFilter implements ObjectInputFilter {

    /** Nesting of any object graph (class descriptors of a deep class hierarchy count too). */
    static final int MAX_DEPTH = 64;
    /**
     * Nesting below a collection that hashes its elements on read: a graph that shares each level twice costs 2^n
     * hash calls for n levels (about 0.1 s at 20 on a current CPU, minutes at 30).
     */
    static final int MAX_HASHED_DEPTH = 20;
    /** Objects and back references in one stream (each costs the stream at least a byte, the reader a handle). */
    static final long MAX_REFERENCES = 1_000_000;

    /**
     * What Tomcat's own session internals write, on 10.1 and 11: scalars; with persistAuthentication the principal
     * ({@code GenericPrincipal.writeReplace}: name, roles, its attributes map, unmodifiable) and the FORM login's
     * saved request (cookies with their case-insensitive attribute map, headers, locales, the body's ByteChunk and
     * its superclass). Object[] and Map.Entry[] are what ArrayList and HashMap check their capacity against. The
     * cookie's class is named by reference, so that the Tomcat 9 jars' relocation makes it {@code javax.servlet}'s.
     */
    static final String SESSION_INTERNALS = "java\\.lang\\.(?:Boolean|Integer|Long|Number|String|Object)"
            + "|org\\.apache\\.catalina\\.realm\\.GenericPrincipal(?:\\$SerializablePrincipal)?"
            + "|org\\.apache\\.catalina\\.authenticator\\.SavedRequest"
            + "|" + Pattern.quote(Cookie.class.getName()) + "|java\\.lang\\.String\\$CaseInsensitiveComparator"
            + "|java\\.util\\.(?:ArrayList|HashMap|TreeMap|Locale|Map\\$Entry|Collections\\$UnmodifiableMap)"
            + "|org\\.apache\\.tomcat\\.util\\.buf\\.(?:ByteChunk|AbstractChunk)";

    /** The {@code jdk-safe} preset: JDK value and collection types only. */
    static final String JDK_SAFE = "java\\.lang\\.(?:Boolean|Byte|Character|Short|Integer|Long|Float|Double|Number"
            + "|String|Enum|StringBuilder)"
            + "|java\\.math\\.(?:BigDecimal|BigInteger)"
            + "|java\\.time\\.(?:Ser|Instant|LocalDate|LocalDateTime|LocalTime|OffsetDateTime|ZonedDateTime"
            + "|Duration|Period|ZoneOffset|ZoneRegion|Year|YearMonth|MonthDay)"
            + "|java\\.util\\.(?:ArrayList|LinkedList|ArrayDeque|HashMap|LinkedHashMap|TreeMap|HashSet|LinkedHashSet"
            + "|TreeSet|EnumMap|Date|Locale|UUID|Currency|Collections\\$(?:Unmodifiable|Synchronized|Empty|Singleton)"
            + "\\w*|ImmutableCollections\\$\\w+|CollSer|Arrays\\$ArrayList|concurrent\\.ConcurrentHashMap"
            + "|concurrent\\.ConcurrentHashMap\\$Segment|concurrent\\.CopyOnWriteArrayList)";

    private final Pattern allowed;
    private final long maxLength;
    /** Depth of the outermost collection being read that hashes its elements; -1 outside any. */
    private long hashedFrom = -1;
    /** Why the first refusal happened, for the log: a class name never appears here (see {@link #refusedClass}). */
    private String refusal;
    private String refusedClass;

    private SessionInputFilter(Pattern allowed, long maxLength) {
        this.allowed = allowed;
        this.maxLength = maxLength;
    }

    /** The allow-list pattern for a {@code classAllowList} value; {@code null} when none is configured. */
    static Pattern allowListOf(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        return Pattern.compile(SESSION_INTERNALS + "|" + ("jdk-safe".equals(v) ? JDK_SAFE : v));
    }

    /** The filter for reading {@code payloadLength} stored bytes: no array and no stream is longer. */
    static SessionInputFilter of(Pattern allowed, int payloadLength) {
        return new SessionInputFilter(allowed, payloadLength);
    }

    @Override
    public Status checkInput(FilterInfo info) {
        String limit = limitExceeded(info);
        if (limit != null) {
            return refused(limit, null);
        }
        Class<?> c = info.serialClass();
        if (c == null) {
            return Status.UNDECIDED;
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return allowed == null ? Status.UNDECIDED : Status.ALLOWED;
        }
        if (GadgetDenyList.denies(c.getName())) {
            return refused("a known deserialization gadget", c.getName());
        }
        if (allowed == null) {
            return Status.UNDECIDED;
        }
        return allowed.matcher(c.getName()).matches() ? Status.ALLOWED : refused("not in classAllowList", c.getName());
    }

    /** The structural limit {@code info} exceeds, or {@code null}. */
    private String limitExceeded(FilterInfo info) {
        long depth = info.depth();
        if (depth > MAX_DEPTH) {
            return "nesting deeper than " + MAX_DEPTH;
        }
        if (info.references() > MAX_REFERENCES) {
            return "more than " + MAX_REFERENCES + " references";
        }
        if (info.arrayLength() > maxLength || info.streamBytes() > maxLength) {
            return "an array or stream longer than the stored bytes";
        }
        if (hashedFrom >= 0 && depth <= hashedFrom) {
            hashedFrom = -1; // that collection has been read
        }
        if (hashedFrom < 0) {
            hashedFrom = hashingFrom(info.serialClass(), depth);
        }
        if (hashedFrom >= 0 && depth - hashedFrom > MAX_HASHED_DEPTH) {
            return "nesting deeper than " + MAX_HASHED_DEPTH + " inside a hashed collection";
        }
        return null;
    }

    /**
     * The depth of the collection that announces itself with this call, if it hashes its elements while it is read:
     * HashMap, HashSet, their linked forms, Hashtable and Properties check a Map.Entry[] capacity at their own depth,
     * ConcurrentHashMap reads its Segment[] one level down. -1 for any other call.
     */
    private static long hashingFrom(Class<?> c, long depth) {
        if (c == Map.Entry[].class) {
            return depth;
        }
        if (c != null && c.isArray() && SEGMENT.equals(c.getComponentType().getName())) {
            return depth - 1;
        }
        return -1;
    }

    private static final String SEGMENT = "java.util.concurrent.ConcurrentHashMap$Segment";

    private Status refused(String why, String className) {
        if (refusal == null) {
            refusal = why;
            refusedClass = className;
        }
        return Status.REJECTED;
    }

    /** Why this filter first refused, or {@code null}; has no stored text. */
    String refusal() {
        return refusal;
    }

    /** The class it first refused (read from stored bytes: sanitize before logging), or {@code null}. */
    String refusedClass() {
        return refusedClass;
    }
}
