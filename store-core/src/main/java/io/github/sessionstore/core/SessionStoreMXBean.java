package io.github.sessionstore.core;

import java.util.List;

/**
 * Management view of a session store, registered as {@code <domain>:type=SessionStore,host=…,context=…}. Counters are
 * cumulative since start; latencies are in microseconds.
 */
public interface SessionStoreMXBean {

    String getBackend();

    String getFlushPolicy();

    boolean isNonSticky();

    /** Whether the per-request version check of local copies is switched off. */
    boolean isAssumeStrictStickiness();

    String getIgnoreUriPattern();

    double getTouchThreshold();

    int getMaxLocalIdle();

    int getMaxSessionSize();

    int getAsyncQueueSize();

    int getExpiryBatchSize();

    int getOperationTimeout();

    int getMaxUnflushed();

    int getProbeInterval();

    String getClassAllowList();

    /** The effective mode: none, optimistic or pessimistic. */
    String getLockingMode();

    int getLockTimeout();

    int getLockLease();

    /** Compare-and-set writes that found a newer stored version and were rebased onto it. */
    long getVersionConflicts();

    /** Attributes two nodes changed at once; the later write kept its value. */
    long getAttributeConflicts();

    /** Requests that had to wait for their session's lock (pessimistic mode). */
    long getLockWaits();

    /** Requests that went ahead without the lock after lockTimeout (pessimistic mode). */
    long getLockTimeouts();

    boolean isCircuitOpen();

    long getFastFails();

    long getUnflushedOverflow();

    int getUnflushedSessions();

    int getPendingDeletes();

    boolean isBackendAvailable();

    long getLoads();

    long getMisses();

    long getSaves();

    long getTouches();

    long getSkippedWrites();

    long getRemoves();

    long getErrors();

    long getRejectedIds();

    long getCorruptRecords();

    /** Attributes left out of loaded sessions because their class is missing, changed or refused here. */
    long getDroppedAttributes();

    long getOversizeSessions();

    long getEvictions();

    long getStaleEvictions();

    long getExpiredSessions();

    long getAsyncFallbacks();

    int getAsyncQueueDepth();

    long getLoadLatencyP50();

    long getLoadLatencyP99();

    long getSaveLatencyP50();

    long getSaveLatencyP99();

    long getTouchLatencyP50();

    long getTouchLatencyP99();

    // ------------------------------------------------------------------ the whole store (FleetView)

    /**
     * Sessions in the store, every node's, or -1 where the backend cannot count them (memcached). Each read is one
     * count on the backend (a {@code COUNT(*)} on JDBC); it fails with a clear error after operationTimeout + 2 s.
     */
    int getStoredSessions();

    /**
     * Up to {@code max} (at most 1000) stored session ids in ascending order, after {@code after} (empty: the first
     * page); pass a page's last entry to get the next one. With {@code encryptionKeys} the store holds no ids: these are
     * the keys it stores the sessions under (keyed hashes of their ids), which {@link #sessionMetadata} takes too. Fails
     * on a backend that cannot list (memcached).
     */
    List<String> listSessionIds(String after, int max);

    /**
     * One stored session's metadata, read without deserializing it, as {@code name=value} lines: id, created,
     * lastAccessed, expiresAt, maxInactive (seconds), sizeBytes, principal, version; with {@code encryptionKeys} also
     * the stored key, and the id read from the sealed record. {@code id} is a session id, or an entry of
     * {@link #listSessionIds}.
     */
    List<String> sessionMetadata(String id);

    // ------------------------------------------------------------------ a user's sessions

    /** The session attribute whose value names a session's user; empty: none (see also persistAuthentication). */
    String getPrincipalAttribute();

    /**
     * Ids of the stored sessions of the user {@code principal}, at most 1000: this node's full id for a session it
     * holds, else the id without its jvmRoute suffix. Refused with a message on a backend without the principal index
     * (memcached) or when the store indexes no principal.
     */
    String[] findSessionIds(String principal);

    /**
     * Ends up to 1000 sessions of the user {@code principal} across the fleet (call again while it returns 1000):
     * their records are deleted, this node's copies expire ({@code sessionDestroyed} fires), and another node's copy
     * is dropped on its next request. Returns how many were ended. Refused as {@link #findSessionIds} is.
     */
    int expireSessions(String principal);
    /** Ids of the encryption keys, the sealing one first; empty without encryption. Never key material. */
    String getEncryptionKeyIds();

    boolean isAllowPlainRecords();

    int getCompressThreshold();

    /** Stored records refused because they did not authenticate (or were plain while encryption is on). */
    long getUnauthenticatedRecords();
}
