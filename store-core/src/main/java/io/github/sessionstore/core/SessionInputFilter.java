package io.github.sessionstore.core;

import java.io.ObjectInputFilter;
import java.util.regex.Pattern;

/**
 * The {@link ObjectInputFilter} on every session read, on top of the Manager's
 * {@code sessionAttributeValueClassNameFilter}: structural limits always (no array longer than the stored bytes, so a
 * corrupt length cannot allocate gigabytes; bounded nesting, so a crafted chain cannot overflow the stack), and the
 * optional allow-list of classes, under which a class matching neither the session internals nor the configured
 * pattern is rejected before it is instantiated.
 */
final class SessionInputFilter implements ObjectInputFilter {

    static final int MAX_DEPTH = 1000;

    /**
     * What Tomcat's own session internals write, on 10.1 and 11: scalars; with persistAuthentication the principal
     * ({@code GenericPrincipal.writeReplace}: name, roles, its attributes map, unmodifiable) and the FORM login's
     * saved request (cookies with their case-insensitive attribute map, headers, locales, the body's ByteChunk and
     * its superclass). Object[] and Map.Entry[] are what ArrayList and HashMap check their capacity against.
     */
    static final String SESSION_INTERNALS = "java\\.lang\\.(?:Boolean|Integer|Long|Number|String|Object)"
            + "|org\\.apache\\.catalina\\.realm\\.GenericPrincipal(?:\\$SerializablePrincipal)?"
            + "|org\\.apache\\.catalina\\.authenticator\\.SavedRequest"
            + "|jakarta\\.servlet\\.http\\.Cookie|java\\.lang\\.String\\$CaseInsensitiveComparator"
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
    private final long maxArrayLength;

    private SessionInputFilter(Pattern allowed, long maxArrayLength) {
        this.allowed = allowed;
        this.maxArrayLength = maxArrayLength;
    }

    /** The allow-list pattern for a {@code classAllowList} value; {@code null} when none is configured. */
    static Pattern allowListOf(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        return Pattern.compile(SESSION_INTERNALS + "|" + ("jdk-safe".equals(v) ? JDK_SAFE : v));
    }

    /** The filter for reading {@code payloadLength} stored bytes. */
    static SessionInputFilter of(Pattern allowed, int payloadLength) {
        return new SessionInputFilter(allowed, payloadLength);
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.arrayLength() > maxArrayLength) {
            return Status.REJECTED;
        }
        Class<?> c = info.serialClass();
        if (c == null || allowed == null) {
            return Status.UNDECIDED;
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive() || allowed.matcher(c.getName()).matches()) {
            return Status.ALLOWED;
        }
        return Status.REJECTED;
    }
}
