package io.github.sessionstore.core;

import java.util.regex.Pattern;

/**
 * The core's settings as JavaBean properties, for the Digester ({@code <Store … />} attributes) and JMX. Every
 * property is a {@code String}, {@code int}, {@code long} or {@code boolean}: the only types Tomcat's Digester sets
 * (it logs anything else and carries on). How a setter refuses a value, and how configuration is sealed at start, is
 * {@link CheckedSettings}'s job.
 */
public abstract class StoreSettings extends CheckedSettings {

    static final String DEFAULT_IGNORE_URI_PATTERN =
            ".*\\.(ico|png|gif|jpg|jpeg|webp|svg|css|js|map|woff|woff2|ttf|eot)$";
    /** The largest grace a session's expiry may have beyond its timeout, as a fraction of the timeout. */
    static final double MAX_GRACE = 0.1;

    private FlushPolicy flushPolicy = FlushPolicy.WRITE_THROUGH;
    private String ignoreUriPattern = DEFAULT_IGNORE_URI_PATTERN;
    private Pattern ignoreUri = Pattern.compile(DEFAULT_IGNORE_URI_PATTERN);
    private boolean nonSticky;
    private boolean assumeStrictStickiness;
    private double touchThreshold = MAX_GRACE;
    private String touchThresholdText = Double.toString(MAX_GRACE);
    private int maxLocalIdle;
    private int maxSessionSize = 16 * 1024 * 1024;
    private int asyncQueueSize = 10_000;
    private int expiryBatchSize = 500;
    private int operationTimeout = 3000;
    private int maxUnflushed = 10_000;
    private int probeInterval = 1000;
    private String classAllowList = "";
    private Pattern allowList;
    private LockingMode lockingMode; // null: optimistic when nonSticky, else none
    private int lockTimeout = 3000;
    private int lockLease = 30_000;
    private String principalAttribute = "";

    public String getFlushPolicy() {
        return flushPolicy.attributeValue;
    }

    /** {@code write-through} (default), {@code async} or {@code idle}. */
    public void setFlushPolicy(String flushPolicy) {
        if (settable("flushPolicy")) {
            FlushPolicy p = FlushPolicy.parse(flushPolicy);
            if (p == null) {
                refuse("flushPolicy", "must be one of write-through, async, idle");
            } else {
                accept("flushPolicy");
                this.flushPolicy = p;
            }
        }
    }

    FlushPolicy flushPolicy() {
        return flushPolicy;
    }

    public String getIgnoreUriPattern() {
        return ignoreUriPattern;
    }

    /** Requests whose URI matches this regular expression are not flushed; empty disables the check. */
    public void setIgnoreUriPattern(String ignoreUriPattern) {
        if (!settable("ignoreUriPattern")) {
            return;
        }
        String p = ignoreUriPattern == null ? "" : ignoreUriPattern.trim();
        Pattern compiled = regex("ignoreUriPattern", p);
        if (p.isEmpty() || compiled != null) {
            this.ignoreUri = compiled;
            this.ignoreUriPattern = p;
        }
    }

    boolean isIgnored(String uri) {
        Pattern p = ignoreUri;
        return p != null && uri != null && p.matcher(uri).matches();
    }

    public boolean isNonSticky() {
        return nonSticky;
    }

    /**
     * Requests of one session may reach any node at any time. Decides only the locking default: {@code optimistic}
     * when set, else {@code none}. (Every mode checks a local copy's version before a request uses it.)
     */
    public void setNonSticky(boolean nonSticky) {
        if (settable("nonSticky")) {
            this.nonSticky = nonSticky;
        }
    }

    public boolean isAssumeStrictStickiness() {
        return assumeStrictStickiness;
    }

    /**
     * Skip the per-request version check of local copies (one metadata read per request). Only safe when every
     * request of a session reaches the same node for the session's whole life: after any failover, rebalancing or
     * balancer flap, a node that serves a session again uses its old copy and overwrites newer changes made elsewhere.
     */
    public void setAssumeStrictStickiness(boolean assumeStrictStickiness) {
        if (settable("assumeStrictStickiness")) {
            this.assumeStrictStickiness = assumeStrictStickiness;
        }
    }

    public String getTouchThreshold() {
        return touchThresholdText;
    }

    /**
     * How far, as a fraction of a session's timeout, its stored expiry may lag behind its last request: read-only
     * requests refresh the stored expiry only after that much time, and the store keeps the session that much longer
     * (the grace). A decimal number in (0, 1]; at most 0.1 (default) is used: a larger value is capped with a warning
     * at start. (A {@code String} property: Tomcat's Digester cannot set a {@code double}.)
     */
    public void setTouchThreshold(String touchThreshold) {
        if (!settable("touchThreshold")) {
            return;
        }
        String v = touchThreshold == null ? "" : touchThreshold.trim();
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d > 0 && d <= 1)) {
            refuse("touchThreshold", "must be a decimal number in (0, 1] (values above 0.1 are capped at 0.1)");
            return;
        }
        accept("touchThreshold");
        this.touchThreshold = d;
        this.touchThresholdText = v;
    }

    /** The configured fraction, before the cap. */
    double touchThreshold() {
        return touchThreshold;
    }

    double graceFraction() {
        return Math.min(MAX_GRACE, touchThreshold);
    }

    public int getMaxLocalIdle() {
        return maxLocalIdle;
    }

    /**
     * Seconds after which an idle session is dropped from this node's memory (it stays in the store); 0 (default)
     * and anything above half the session's own timeout mean half its timeout.
     */
    public void setMaxLocalIdle(int maxLocalIdle) {
        if (settableInRange("maxLocalIdle", maxLocalIdle, 0, Integer.MAX_VALUE, " s")) {
            this.maxLocalIdle = maxLocalIdle;
        }
    }

    public int getMaxSessionSize() {
        return maxSessionSize;
    }

    /** Largest encoded session in bytes; a larger one is not written and is logged and counted. */
    public void setMaxSessionSize(int maxSessionSize) {
        if (settableInRange("maxSessionSize", maxSessionSize, 1024, Integer.MAX_VALUE, " bytes")) {
            this.maxSessionSize = maxSessionSize;
        }
    }

    public int getAsyncQueueSize() {
        return asyncQueueSize;
    }

    /** Bound of the {@code async} policy's queue; when full, requests write synchronously. */
    public void setAsyncQueueSize(int asyncQueueSize) {
        if (settableInRange("asyncQueueSize", asyncQueueSize, 1, Integer.MAX_VALUE, "")) {
            this.asyncQueueSize = asyncQueueSize;
        }
    }

    public int getExpiryBatchSize() {
        return expiryBatchSize;
    }

    /** How many expired sessions one sweep query claims at most. */
    public void setExpiryBatchSize(int expiryBatchSize) {
        if (settableInRange("expiryBatchSize", expiryBatchSize, 1, 100_000, "")) {
            this.expiryBatchSize = expiryBatchSize;
        }
    }

    public int getOperationTimeout() {
        return operationTimeout;
    }

    /** Upper bound in milliseconds of one backend call; backends apply it to their client. */
    public void setOperationTimeout(int operationTimeout) {
        if (settableInRange("operationTimeout", operationTimeout, 1, 600_000, " ms")) {
            this.operationTimeout = operationTimeout;
        }
    }

    public int getMaxUnflushed() {
        return maxUnflushed;
    }

    /**
     * How many sessions whose write failed (store down) are tracked for retry at most; beyond it the overflow is
     * counted and logged, and those sessions are retried only by their next request.
     */
    public void setMaxUnflushed(int maxUnflushed) {
        if (settableInRange("maxUnflushed", maxUnflushed, 1, Integer.MAX_VALUE, "")) {
            this.maxUnflushed = maxUnflushed;
        }
    }

    public int getProbeInterval() {
        return probeInterval;
    }

    /** Milliseconds between the background checks that reconnect, probe an open circuit and retry failed writes. */
    public void setProbeInterval(int probeInterval) {
        if (settableInRange("probeInterval", probeInterval, 50, 60_000, " ms")) {
            this.probeInterval = probeInterval;
        }
    }

    public String getClassAllowList() {
        return classAllowList;
    }

    /**
     * Classes a stored session may contain, on top of the Manager's {@code sessionAttributeValueClassNameFilter}:
     * empty (default) adds no restriction; {@code jdk-safe} allows JDK value and collection types only; anything else
     * is a regular expression of allowed class names (add {@code |jdk-safe}'s types yourself if you need them).
     */
    public void setClassAllowList(String classAllowList) {
        if (!settable("classAllowList")) {
            return;
        }
        String v = classAllowList == null ? "" : classAllowList.trim();
        if (v.isEmpty() || "jdk-safe".equals(v) || regex("classAllowList", v) != null) {
            accept("classAllowList");
            this.allowList = SessionInputFilter.allowListOf(v);
            this.classAllowList = v;
        }
    }

    Pattern allowList() {
        return allowList;
    }

    /** The effective mode: none, optimistic or pessimistic. */
    public String getLockingMode() {
        return effectiveLockingMode().attributeValue;
    }

    /**
     * {@code none}, {@code optimistic} (the default with {@code nonSticky}) or {@code pessimistic}: what keeps two
     * nodes that change one session at the same time from losing an update. Unset: optimistic when non-sticky, else
     * none.
     */
    public void setLockingMode(String lockingMode) {
        if (!settable("lockingMode")) {
            return;
        }
        if (lockingMode == null || lockingMode.isBlank()) {
            accept("lockingMode");
            this.lockingMode = null;
            return;
        }
        LockingMode m = LockingMode.parse(lockingMode);
        if (m == null) {
            refuse("lockingMode", "must be one of none, optimistic, pessimistic");
        } else {
            accept("lockingMode");
            this.lockingMode = m;
        }
    }

    LockingMode effectiveLockingMode() {
        LockingMode m = lockingMode;
        return m != null ? m : nonSticky ? LockingMode.OPTIMISTIC : LockingMode.NONE;
    }

    public int getLockTimeout() {
        return lockTimeout;
    }

    /**
     * Pessimistic mode: milliseconds a request waits for its session's lock; after that it goes ahead without it and
     * its write is still a compare-and-set.
     */
    public void setLockTimeout(int lockTimeout) {
        if (settableInRange("lockTimeout", lockTimeout, 0, 600_000, " ms")) {
            this.lockTimeout = lockTimeout;
        }
    }

    public int getLockLease() {
        return lockLease;
    }

    /** Pessimistic mode: milliseconds after which a lock lapses, so a node that dies holding it blocks no longer. */
    public void setLockLease(int lockLease) {
        if (settableInRange("lockLease", lockLease, 1000, 3_600_000, " ms")) {
            this.lockLease = lockLease;
        }
    }

    public String getPrincipalAttribute() {
        return principalAttribute;
    }

    /**
     * The session attribute that holds the user, for apps that keep it there rather than in container
     * authentication: its {@code getName()} (a {@code java.security.Principal}) or {@code toString()} is indexed, so
     * that the operator can find and end that user's sessions. Empty (default): none.
     */
    public void setPrincipalAttribute(String principalAttribute) {
        if (settable("principalAttribute")) {
            this.principalAttribute = principalAttribute == null ? "" : principalAttribute.trim();
        }
    }

    /** The attribute, or {@code null} for none. */
    String principalAttributeName() {
        return principalAttribute.isEmpty() ? null : principalAttribute;
    }

    // ------------------------------------------------------------------ sealed records (encryption, compression)

    /** What a getter (and so JMX) shows in place of a secret: key material, a password, a URI's credentials. */
    protected static final String MASK = "****";

    private KeyRing keyRing;
    private boolean allowPlainRecords;
    private int compressThreshold;

    /**
     * The configured key ids with their material masked ({@code k2:****,k1:****}), {@code null} when none: JMX and
     * anything else that reads properties never sees key material. Setting the returned value back is refused.
     */
    public String getEncryptionKeys() {
        KeyRing r = keyRing;
        return r == null ? null : String.join(",", r.ids().stream().map(id -> id + ":" + MASK).toList());
    }

    /**
     * {@code id:base64,id:base64…} of 256-bit AES keys: every record is AES-GCM encrypted with the first, and every
     * listed key decrypts. Empty: no encryption. Supply it through {@code ${…}} substitution.
     */
    public void setEncryptionKeys(String encryptionKeys) {
        if (!settable("encryptionKeys")) {
            return;
        }
        try {
            this.keyRing = KeyRing.parse(encryptionKeys);
            accept("encryptionKeys");
        } catch (IllegalArgumentException e) {
            // KeyRing's reasons name an entry by id or position, never its material
            this.keyRing = null;
            refuse("encryptionKeys", e.getMessage());
        }
    }

    KeyRing keyRing() {
        return keyRing;
    }

    public boolean isAllowPlainRecords() {
        return allowPlainRecords;
    }

    /** With encryptionKeys: still read records that are not encrypted (written before keys were configured). */
    public void setAllowPlainRecords(boolean allowPlainRecords) {
        if (settable("allowPlainRecords")) {
            this.allowPlainRecords = allowPlainRecords;
        }
    }

    public int getCompressThreshold() {
        return compressThreshold;
    }

    /** Records larger than this many bytes are compressed (before encryption); 0 (default): never. */
    public void setCompressThreshold(int compressThreshold) {
        if (settableInRange("compressThreshold", compressThreshold, 0, Integer.MAX_VALUE, " bytes")) {
            this.compressThreshold = compressThreshold;
        }
    }
}
