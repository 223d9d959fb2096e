package io.github.sessionstore.core;

/**
 * When a stored session expires, and when a read-only request must refresh that. The stored expiry of a session last
 * seen at {@code accessed} is {@code accessed + timeout + grace}, grace being a fraction (at most 10 %) of the
 * timeout. An unchanged session is touched only once its stored expiry no longer covers a full timeout from this
 * request, that is at most once per grace. So the stored expiry is never earlier than a full timeout after the last
 * request on any node, and never later than the grace after it.
 * <p>
 * Under {@code flushPolicy="idle"} the store hears of requests only through the manager's backups; the backup
 * interval is added to the grace so that a session in use between two backups is not expired by another node.
 */
final class ExpiryPolicy {

    private final double graceFraction;
    private final long backupIntervalMillis;

    ExpiryPolicy(double graceFraction, long backupIntervalMillis) {
        this.graceFraction = graceFraction;
        this.backupIntervalMillis = backupIntervalMillis;
    }

    long graceMillis(int maxInactive) {
        return maxInactive <= 0 ? 0 : (long) (maxInactive * 1000L * graceFraction) + backupIntervalMillis;
    }

    /** The stored expiry of a session last accessed at {@code accessed}. */
    long expiresAt(long accessed, int maxInactive) {
        return maxInactive <= 0 ? StoredSession.NEVER : accessed + maxInactive * 1000L + graceMillis(maxInactive);
    }

    /** Whether the stored expiry no longer covers a full timeout (plus the backup interval) after {@code accessed}. */
    boolean touchDue(long storedExpiresAt, long accessed, int maxInactive) {
        if (maxInactive <= 0) {
            return storedExpiresAt != StoredSession.NEVER;
        }
        return storedExpiresAt < accessed + maxInactive * 1000L + backupIntervalMillis;
    }
}
