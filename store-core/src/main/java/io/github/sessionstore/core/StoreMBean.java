package io.github.sessionstore.core;

import java.lang.management.ManagementFactory;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.catalina.Context;

/**
 * The store's JMX view, registered as {@code <domain>:type=SessionStore,host=…,context=…}: its settings, its
 * counters and latencies, and the state of its backend and retry queue. {@code context} is the context's name, with
 * the version of a parallel deployment ({@code /app##2}) as in Tomcat's own MBeans: one per version, although the
 * versions share a namespace.
 */
final class StoreMBean implements SessionStoreMXBean {

    private final StoreSettings settings;
    private final StoreMetrics metrics;
    private final BackendGuard guard;
    private final RetryQueue retries;
    private final RecordSink sink;
    private final LimitedLog log;
    private final FleetView fleet;
    private ObjectName name;
    private final UserSessions users;

    StoreMBean(StoreSettings settings, StoreMetrics metrics, BackendGuard guard, RetryQueue retries, RecordSink sink,
            LimitedLog log, FleetView fleet, UserSessions users) {
        this.settings = settings;
        this.metrics = metrics;
        this.guard = guard;
        this.retries = retries;
        this.sink = sink;
        this.log = log;
        this.fleet = fleet;
        this.users = users;
    }

    void register(Context context, String namespace) {
        try {
            String domain = context.getDomain() == null ? "Catalina" : context.getDomain();
            String host = context.getParent() == null ? "localhost" : context.getParent().getName();
            String path = context.getName() == null || context.getName().isEmpty() ? "/" : context.getName();
            ObjectName n = new ObjectName(domain + ":type=SessionStore,host=" + ObjectName.quote(host) + ",context="
                    + ObjectName.quote(path));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(n)) {
                server.unregisterMBean(n);
            }
            server.registerMBean(this, n);
            name = n;
        } catch (Exception e) {
            log.warn("store.jmxFailed", namespace, e.toString());
        }
    }

    void unregister() {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (Exception ignore) {
                // already gone
            }
            name = null;
        }
    }

    ObjectName name() {
        return name;
    }

    // ------------------------------------------------------------------ settings

    @Override
    public String getBackend() {
        return guard.describe();
    }

    @Override
    public String getFlushPolicy() {
        return settings.getFlushPolicy();
    }

    @Override
    public boolean isNonSticky() {
        return settings.isNonSticky();
    }

    @Override
    public boolean isAssumeStrictStickiness() {
        return settings.isAssumeStrictStickiness();
    }

    @Override
    public String getIgnoreUriPattern() {
        return settings.getIgnoreUriPattern();
    }

    @Override
    public double getTouchThreshold() {
        return settings.touchThreshold();
    }

    @Override
    public int getMaxLocalIdle() {
        return settings.getMaxLocalIdle();
    }

    @Override
    public int getMaxSessionSize() {
        return settings.getMaxSessionSize();
    }

    @Override
    public int getAsyncQueueSize() {
        return settings.getAsyncQueueSize();
    }

    @Override
    public int getExpiryBatchSize() {
        return settings.getExpiryBatchSize();
    }

    @Override
    public int getOperationTimeout() {
        return settings.getOperationTimeout();
    }

    @Override
    public int getMaxUnflushed() {
        return settings.getMaxUnflushed();
    }

    @Override
    public int getProbeInterval() {
        return settings.getProbeInterval();
    }

    @Override
    public String getClassAllowList() {
        return settings.getClassAllowList();
    }

    @Override
    public String getLockingMode() {
        return settings.getLockingMode();
    }

    @Override
    public int getLockTimeout() {
        return settings.getLockTimeout();
    }

    @Override
    public int getLockLease() {
        return settings.getLockLease();
    }

    // ------------------------------------------------------------------ state

    @Override
    public boolean isBackendAvailable() {
        return guard.isUsable();
    }

    @Override
    public boolean isCircuitOpen() {
        return guard.isCircuitOpen();
    }

    @Override
    public int getUnflushedSessions() {
        return retries.unflushedCount();
    }

    @Override
    public int getPendingDeletes() {
        return retries.pendingDeleteCount();
    }

    @Override
    public int getAsyncQueueDepth() {
        return sink.depth();
    }

    // ------------------------------------------------------------------ counters

    @Override
    public long getLoads() {
        return metrics.loads.sum();
    }

    @Override
    public long getMisses() {
        return metrics.misses.sum();
    }

    @Override
    public long getSaves() {
        return metrics.saves.sum();
    }

    @Override
    public long getTouches() {
        return metrics.touches.sum();
    }

    @Override
    public long getSkippedWrites() {
        return metrics.skippedWrites.sum();
    }

    @Override
    public long getRemoves() {
        return metrics.removes.sum();
    }

    @Override
    public long getErrors() {
        return metrics.errors.sum();
    }

    @Override
    public long getRejectedIds() {
        return metrics.rejectedIds.sum();
    }

    @Override
    public long getCorruptRecords() {
        return metrics.corruptRecords.sum();
    }

    @Override
    public long getDroppedAttributes() {
        return metrics.droppedAttributes.sum();
    }

    @Override
    public long getOversizeSessions() {
        return metrics.oversizeSessions.sum();
    }

    @Override
    public long getEvictions() {
        return metrics.evictions.sum();
    }

    @Override
    public long getStaleEvictions() {
        return metrics.staleEvictions.sum();
    }

    @Override
    public long getExpiredSessions() {
        return metrics.expired.sum();
    }

    @Override
    public long getAsyncFallbacks() {
        return metrics.asyncFallbacks.sum();
    }

    @Override
    public long getFastFails() {
        return metrics.fastFails.sum();
    }

    @Override
    public long getVersionConflicts() {
        return metrics.versionConflicts.sum();
    }

    @Override
    public long getAttributeConflicts() {
        return metrics.attributeConflicts.sum();
    }

    @Override
    public long getLockWaits() {
        return metrics.lockWaits.sum();
    }

    @Override
    public long getLockTimeouts() {
        return metrics.lockTimeouts.sum();
    }

    @Override
    public long getUnflushedOverflow() {
        return metrics.unflushedOverflow.sum();
    }

    @Override
    public long getLoadLatencyP50() {
        return metrics.loadLatency.percentileMicros(0.50);
    }

    @Override
    public long getLoadLatencyP99() {
        return metrics.loadLatency.percentileMicros(0.99);
    }

    @Override
    public long getSaveLatencyP50() {
        return metrics.saveLatency.percentileMicros(0.50);
    }

    @Override
    public long getSaveLatencyP99() {
        return metrics.saveLatency.percentileMicros(0.99);
    }

    @Override
    public long getTouchLatencyP50() {
        return metrics.touchLatency.percentileMicros(0.50);
    }

    @Override
    public long getTouchLatencyP99() {
        return metrics.touchLatency.percentileMicros(0.99);
    }

    // ------------------------------------------------------------------ the whole store

    @Override
    public int getStoredSessions() {
        return fleet.storedSessions();
    }

    @Override
    public List<String> listSessionIds(String after, int max) {
        return fleet.listSessionIds(after, max);
    }

    @Override
    public List<String> sessionMetadata(String id) {
        return fleet.sessionMetadata(id);
    }

    // ------------------------------------------------------------------ a user's sessions

    @Override
    public String getPrincipalAttribute() {
        return settings.getPrincipalAttribute();
    }

    @Override
    public String[] findSessionIds(String principal) {
        return users.findSessionIds(principal);
    }

    @Override
    public int expireSessions(String principal) {
        return users.expireSessions(principal);
    }

    // ------------------------------------------------------------------ sealed records

    @Override
    public String getEncryptionKeyIds() {
        KeyRing keys = settings.keyRing();
        return keys == null ? "" : keys.toString();
    }

    @Override
    public boolean isAllowPlainRecords() {
        return settings.isAllowPlainRecords();
    }

    @Override
    public int getCompressThreshold() {
        return settings.getCompressThreshold();
    }

    @Override
    public long getUnauthenticatedRecords() {
        return metrics.unauthenticatedRecords.sum();
    }
}
