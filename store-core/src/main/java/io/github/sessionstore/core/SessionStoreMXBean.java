package io.github.sessionstore.core;

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

    /** Ids of the encryption keys, the sealing one first; empty without encryption. Never key material. */
    String getEncryptionKeyIds();

    boolean isAllowPlainRecords();

    int getCompressThreshold();

    /** Stored records refused because they did not authenticate (or were plain while encryption is on). */
    long getUnauthenticatedRecords();
}
