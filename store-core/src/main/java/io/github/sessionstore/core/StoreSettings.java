package io.github.sessionstore.core;

import java.util.regex.Pattern;

import org.apache.catalina.session.StoreBase;

/**
 * The core's settings as JavaBean properties, for the Digester ({@code <Store … />} attributes) and JMX. Each setter
 * validates its value and refuses a change once the store has started: configuration is sealed at start.
 */
public abstract class StoreSettings extends StoreBase {

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

    /** Reject a setting change once the store runs; configuration is sealed at start. */
    protected final void checkNotStarted(String property) {
        if (getState().isAvailable()) {
            throw new IllegalStateException(property + " cannot be changed after the store has started");
        }
    }

    /** The one range check of every numeric setting: sealed, and within [min, max]. */
    protected final int checked(String property, int value, int min, int max, String unit) {
        checkNotStarted(property);
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " must be in [" + min + ", " + max + "]" + unit + "; was "
                    + value);
        }
        return value;
    }

    public String getFlushPolicy() {
        return flushPolicy.attributeValue;
    }

    /** {@code write-through} (default), {@code async} or {@code idle}. */
    public void setFlushPolicy(String flushPolicy) {
        checkNotStarted("flushPolicy");
        this.flushPolicy = FlushPolicy.parse(flushPolicy);
    }

    FlushPolicy flushPolicy() {
        return flushPolicy;
    }

    public String getIgnoreUriPattern() {
        return ignoreUriPattern;
    }

    /** Requests whose URI matches this regular expression are not flushed; empty disables the check. */
    public void setIgnoreUriPattern(String ignoreUriPattern) {
        checkNotStarted("ignoreUriPattern");
        String p = ignoreUriPattern == null ? "" : ignoreUriPattern.trim();
        this.ignoreUri = p.isEmpty() ? null : Pattern.compile(p);
        this.ignoreUriPattern = p;
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
        checkNotStarted("nonSticky");
        this.nonSticky = nonSticky;
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
        checkNotStarted("assumeStrictStickiness");
        this.assumeStrictStickiness = assumeStrictStickiness;
    }

    public double getTouchThreshold() {
        return touchThreshold;
    }

    /**
     * How far, as a fraction of a session's timeout, its stored expiry may lag behind its last request: read-only
     * requests refresh the stored expiry only after that much time, and the store keeps the session that much longer
     * (the grace). At most 0.1 (default); a larger value is capped with a warning at start.
     */
    public void setTouchThreshold(double touchThreshold) {
        checkNotStarted("touchThreshold");
        if (!(touchThreshold > 0 && touchThreshold <= 1)) {
            throw new IllegalArgumentException("touchThreshold must be in (0, 1] (values above 0.1 are capped at 0.1); was "
                    + touchThreshold);
        }
        this.touchThreshold = touchThreshold;
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
        this.maxLocalIdle = checked("maxLocalIdle", maxLocalIdle, 0, Integer.MAX_VALUE, " s");
    }

    public int getMaxSessionSize() {
        return maxSessionSize;
    }

    /** Largest encoded session in bytes; a larger one is not written and is logged and counted. */
    public void setMaxSessionSize(int maxSessionSize) {
        this.maxSessionSize = checked("maxSessionSize", maxSessionSize, 1024, Integer.MAX_VALUE, " bytes");
    }

    public int getAsyncQueueSize() {
        return asyncQueueSize;
    }

    /** Bound of the {@code async} policy's queue; when full, requests write synchronously. */
    public void setAsyncQueueSize(int asyncQueueSize) {
        this.asyncQueueSize = checked("asyncQueueSize", asyncQueueSize, 1, Integer.MAX_VALUE, "");
    }

    public int getExpiryBatchSize() {
        return expiryBatchSize;
    }

    /** How many expired sessions one sweep query claims at most. */
    public void setExpiryBatchSize(int expiryBatchSize) {
        this.expiryBatchSize = checked("expiryBatchSize", expiryBatchSize, 1, 100_000, "");
    }

    public int getOperationTimeout() {
        return operationTimeout;
    }

    /** Upper bound in milliseconds of one backend call; backends apply it to their client. */
    public void setOperationTimeout(int operationTimeout) {
        this.operationTimeout = checked("operationTimeout", operationTimeout, 1, 600_000, " ms");
    }

    public int getMaxUnflushed() {
        return maxUnflushed;
    }

    /**
     * How many sessions whose write failed (store down) are tracked for retry at most; beyond it the overflow is
     * counted and logged, and those sessions are retried only by their next request.
     */
    public void setMaxUnflushed(int maxUnflushed) {
        this.maxUnflushed = checked("maxUnflushed", maxUnflushed, 1, Integer.MAX_VALUE, "");
    }

    public int getProbeInterval() {
        return probeInterval;
    }

    /** Milliseconds between the background checks that reconnect, probe an open circuit and retry failed writes. */
    public void setProbeInterval(int probeInterval) {
        this.probeInterval = checked("probeInterval", probeInterval, 50, 60_000, " ms");
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
        checkNotStarted("classAllowList");
        String v = classAllowList == null ? "" : classAllowList.trim();
        this.allowList = SessionInputFilter.allowListOf(v);
        this.classAllowList = v;
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
        checkNotStarted("lockingMode");
        this.lockingMode = lockingMode == null || lockingMode.isBlank() ? null : LockingMode.parse(lockingMode);
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
        this.lockTimeout = checked("lockTimeout", lockTimeout, 0, 600_000, " ms");
    }

    public int getLockLease() {
        return lockLease;
    }

    /** Pessimistic mode: milliseconds after which a lock lapses, so a node that dies holding it blocks no longer. */
    public void setLockLease(int lockLease) {
        this.lockLease = checked("lockLease", lockLease, 1000, 3_600_000, " ms");
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
        checkNotStarted("principalAttribute");
        this.principalAttribute = principalAttribute == null ? "" : principalAttribute.trim();
    }

    /** The attribute, or {@code null} for none. */
    String principalAttributeName() {
        return principalAttribute.isEmpty() ? null : principalAttribute;
    }

    // ------------------------------------------------------------------ sealed records (encryption, compression)

    /** What the getter shows in place of key material. */
    static final String MASK = "****";

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
        checkNotStarted("encryptionKeys");
        this.keyRing = KeyRing.parse(encryptionKeys);
    }

    KeyRing keyRing() {
        return keyRing;
    }

    public boolean isAllowPlainRecords() {
        return allowPlainRecords;
    }

    /** With encryptionKeys: still read records that are not encrypted (written before keys were configured). */
    public void setAllowPlainRecords(boolean allowPlainRecords) {
        checkNotStarted("allowPlainRecords");
        this.allowPlainRecords = allowPlainRecords;
    }

    public int getCompressThreshold() {
        return compressThreshold;
    }

    /** Records larger than this many bytes are compressed (before encryption); 0 (default): never. */
    public void setCompressThreshold(int compressThreshold) {
        this.compressThreshold = checked("compressThreshold", compressThreshold, 0, Integer.MAX_VALUE, " bytes");
    }
}
