package io.github.sessionstore.core;

import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import javax.management.ObjectName;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.session.StandardSession;

/**
 * The Tomcat {@code Store} on top of a {@link SessionBackend}. A backend module extends this class, adds its
 * connection settings as JavaBean properties and implements {@link #openBackend(String)}.
 * <p>
 * This class only wires the parts together and answers Tomcat's calls; each part has one job. A request's path:
 * {@link WriteThroughValve} → {@link RequestScope} (lock, {@link CopyCheck}) → the application → {@link RequestScope}
 * → {@link SessionWriter} → {@link WriteStrategy} → {@link BackendGuard} → the backend. An access through Servlet
 * 6.1's accessor under {@link SessionStoreManager} takes the same path from {@link FlushingAccessor} on. Loads go
 * through {@link SessionReader}, removals through {@link SessionRemover}, expiry through {@link Sweeper}, and what
 * this node holds is known by {@link LocalCopies}.
 */
public abstract class AbstractSessionStore extends StoreSettings {

    final StoreMetrics metrics = new StoreMetrics();
    private final LimitedLog log = new LimitedLog(AbstractSessionStore.class);
    private final KeyStripes<ReadWriteLock> storeLocks = new KeyStripes<>(ReentrantReadWriteLock::new);
    private final LifecycleListener beforeStopListener = this::managerLifecycleEvent;

    // The parts, built from the sealed settings at start
    private volatile String namespace;
    private BackendGuard guard;
    private RetryQueue retries;
    private LocalCopies copies;
    private RecordSink sink;
    private SessionReader reader;
    private SiblingVersions siblings;
    private SessionWriter writer;
    private RequestScope scope;
    private Sweeper sweeper;
    private AccessCatchUp accessCatchUp = AccessCatchUp.NONE;
    private StoreMBean mbean;
    private FleetView fleet;
    private SessionRemover remover;
    private StorageKeys keys = StorageKeys.CLEAR;
    private volatile ScheduledExecutorService maintenance;

    /**
     * Create the backend for one namespace (host + context path). Called at start and again, at most every few
     * seconds, while it fails: the webapp deploys and serves requests while the store is unreachable.
     */
    protected abstract SessionBackend openBackend(String namespace) throws IOException;

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void setManager(Manager manager) {
        Manager old = getManager();
        if (old != null) {
            old.removePropertyChangeListener(contextListener);
        }
        super.setManager(manager);
        if (manager != null) {
            // The Digester sets the Store before the Manager joins its Context; install the valve as soon as it
            // does, so that it runs before the authenticator (which ContextConfig adds later)
            manager.addPropertyChangeListener(contextListener);
            if (manager.getContext() != null) {
                WriteThroughValve.installInto(manager.getContext());
            }
        }
    }

    private final PropertyChangeListener contextListener = evt -> {
        if ("context".equals(evt.getPropertyName()) && evt.getNewValue() instanceof Context context) {
            WriteThroughValve.installInto(context);
        }
    };

    @Override
    protected void startInternal() throws LifecycleException {
        if (!(getManager() instanceof PersistentManagerBase manager)) {
            throw new LifecycleException(Messages.text("store.needsPersistentManager",
                    getManager() == null ? "null" : getManager().getClass().getName()));
        }
        Context context = manager.getContext();
        String ns = namespaceOf(context);
        String refused = refusedSettings();
        if (refused != null) {
            // One line naming each attribute and why, never a value; the context does not start
            throw new LifecycleException(log.error("store.settingsRefused", ns, getStoreName(), refused));
        }
        namespace = ns;
        if (touchThreshold() > MAX_GRACE) {
            log.warn("store.touchThresholdCapped", ns, getTouchThreshold(), Double.toString(MAX_GRACE));
        }
        build(manager, ns);
        siblings = new SiblingVersions(context);
        WriteThroughValve.installInto(context);
        manager.addLifecycleListener(beforeStopListener);
        guard.connect(true, settingsForLog());
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sessionstore-maintenance-" + ns);
            t.setDaemon(true);
            // never pin the webapp's class loader (Tomcat reports threads holding it as leaks)
            t.setContextClassLoader(AbstractSessionStore.class.getClassLoader());
            return t;
        });
        exec.scheduleWithFixedDelay(this::maintain, getProbeInterval(), getProbeInterval(), TimeUnit.MILLISECONDS);
        maintenance = exec;
        mbean.register(context, ns);
        super.startInternal();
    }

    private void build(PersistentManagerBase manager, String ns) {
        LockingMode locking = effectiveLockingMode();
        long backupInterval = flushPolicy() == FlushPolicy.IDLE ? backupIntervalMillis(manager) : 0;
        ExpiryPolicy expiry = new ExpiryPolicy(graceFraction(), backupInterval);
        PrincipalSource principals = PrincipalSource.of(manager.getPersistAuthentication(),
                principalAttributeName(), log, ns);
        boolean indexed = principals != PrincipalSource.NONE;
        guard = new BackendGuard(n -> UserSessions.checked(openBackend(n), indexed, log, n), ns, metrics, log);
        retries = new RetryQueue(getMaxUnflushed(), metrics, log, ns);
        copies = new LocalCopies(manager, metrics);
        RecordSeal seal = recordSeal(ns);
        keys = StorageKeys.of(keyRing(), isAllowPlainRecords());
        Tombstones tombstones = seal.bindsRecords() ? Tombstones.sealed(seal, expiry) : Tombstones.NONE;
        RecordSink direct = RecordSink.direct(guard, metrics);
        sink = flushPolicy() == FlushPolicy.ASYNC
                ? RecordSink.queued(direct, "sessionstore-async-" + ns, getAsyncQueueSize(), metrics) : direct;
        WriteStrategy plain = new PlainWrite(sink, principals);
        RecordDecoder records = new RecordDecoder(manager, this::getObjectInputStream, allowList(), seal, metrics, log,
                ns);
        reader = new SessionReader(records, guard, retries, copies,
                locking == LockingMode.NONE ? plain::baseAttributes : AttributeMerge::digests, metrics, log, ns,
                tombstones, FormerKeys.of(keys, guard, seal, tombstones, metrics, log, ns));
        WriteStrategy strategy = locking == LockingMode.NONE ? plain
                : new CompareAndSetWrite(guard, records, copies, expiry, metrics, getMaxSessionSize(), principals,
                        seal);
        writer = new SessionWriter(strategy, expiry, guard, retries, copies, metrics, log, ns, getMaxSessionSize(),
                seal, keys);
        SessionLocks locks = locking == LockingMode.PESSIMISTIC
                ? new LeaseLocks(guard, metrics, log, ns, getLockTimeout(), getLockLease()) : SessionLocks.NONE;
        CopyCheck check = isAssumeStrictStickiness() ? CopyCheck.NONE
                : new CopyCheck(copies, retries, sink, guard, metrics, log, ns);
        boolean sync = flushPolicy() == FlushPolicy.WRITE_THROUGH;
        RequestScope.Flush flush = flushPolicy() == FlushPolicy.IDLE ? RequestScope.Flush.NONE
                : new RequestScope.Flush() {
                    @Override
                    public void flush(StandardSession s) {
                        writer.flush(s, SessionWriter.Trigger.REQUEST_END, sync);
                    }

                    @Override
                    public void defer(StandardSession s) {
                        writer.defer(s);
                    }
                };
        scope = new RequestScope(keys, locks, check, flush);
        accessCatchUp = AccessCatchUp.of(manager, flushPolicy(), writer);
        sweeper = new Sweeper(manager, guard, copies, writer, records, keys, metrics, log, ns, getMaxLocalIdle(),
                getExpiryBatchSize());
        fleet = new FleetView(guard, seal, keys, metrics, ns, getOperationTimeout());
        remover = new SessionRemover(manager, writer, copies, guard, retries, tombstones, metrics, log, ns);
        UserSessions users = new UserSessions(guard, copies, key -> remover.remove(key, key), indexed, ns, keys, seal);
        mbean = new StoreMBean(this, metrics, guard, retries, sink, log, fleet, users);
    }

    /**
     * Whether the backend is reached over the network, where it is commonly run without authentication; a store
     * that is says at start, loudly, when records are not sealed. Only the shared-directory file store is not.
     */
    protected boolean reachesOverNetwork() {
        return true;
    }

    /** Encryption and compression of records, as configured; says so at start. */
    private RecordSeal recordSeal(String ns) {
        KeyRing keys = keyRing();
        if (keys == null && reachesOverNetwork()) {
            log.warn("store.unsealedOverNetwork", ns, getStoreName());
        }
        if (keys != null) {
            log.info("store.sealing", ns, keys.primaryId(), keys.toString(), Integer.toString(getCompressThreshold()));
            if (isAllowPlainRecords()) {
                log.warn("store.plainRecordsAllowed", ns);
            }
        }
        return RecordSeal.of(keys, isAllowPlainRecords(), getCompressThreshold(), getMaxSessionSize(), ns);
    }

    /** How often PersistentManager backs sessions up: processExpiresFrequency × the background processor delay. */
    private static long backupIntervalMillis(PersistentManagerBase manager) {
        int delay = -1;
        for (Container c = manager.getContext(); c != null && delay <= 0; c = c.getParent()) {
            delay = c.getBackgroundProcessorDelay();
        }
        return Math.max(1, manager.getProcessExpiresFrequency()) * Math.max(1, delay) * 1000L;
    }

    private String settingsForLog() {
        return "flushPolicy=" + getFlushPolicy() + ", nonSticky=" + isNonSticky() + ", lockingMode="
                + getLockingMode() + ", assumeStrictStickiness=" + isAssumeStrictStickiness();
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
        if (getManager() instanceof Lifecycle lifecycle) {
            lifecycle.removeLifecycleListener(beforeStopListener);
        }
        if (sink == null) {
            return; // never started
        }
        sink.stop(Math.max(5000, getOperationTimeout() * 2L));
        ScheduledExecutorService exec = maintenance;
        maintenance = null;
        if (exec != null) {
            exec.shutdownNow();
            try {
                exec.awaitTermination(getOperationTimeout() * 2L, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (retries.unflushedCount() > 0 || retries.pendingDeleteCount() > 0) {
            log.warn("store.stopUnflushed", namespace, Integer.toString(retries.unflushedCount()),
                    Integer.toString(retries.pendingDeleteCount()));
        }
        mbean.unregister();
        fleet.close();
        guard.close();
    }

    /*
     * Before PersistentManager stops, it either unloads its sessions (saveOnRestart) or expires them, which would fire
     * sessionDestroyed and delete sessions that are alive in the shared store. Flush what is dirty, then drop every
     * local copy, so that it finds nothing to expire. A copy whose flush failed is dropped too: the store keeps its
     * last written state, where expiring it would delete that as well.
     */
    private void managerLifecycleEvent(LifecycleEvent event) {
        if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType()) && writer != null) {
            int n = 0;
            for (Session s : getManager().findSessions()) {
                if (s instanceof StandardSession session && session.isValid()) {
                    writer.flush(session, SessionWriter.Trigger.HOUSEKEEPING, true);
                    copies.evict(session);
                    n++;
                }
            }
            if (n > 0 && log.debugEnabled()) {
                log.debug("store.stopEvicted", namespace, Integer.toString(n));
            }
        }
    }

    /**
     * Background maintenance, every {@code probeInterval}: connect if not connected, probe an open circuit and close
     * it when the store answers, then retry failed writes and deletes.
     */
    void maintain() {
        try {
            if (getState().isAvailable() && guard.ensureUsable(settingsForLog(),
                    retries.unflushedCount() + retries.pendingDeleteCount())) {
                retries.retry(guard, remover::deleteRecord,
                        s -> writer.flush(s, SessionWriter.Trigger.HOUSEKEEPING, true));
            }
        } catch (RuntimeException e) {
            log.warn("store.maintenanceFailed", namespace, Messages.safeMessage(e));
        }
    }

    /**
     * Host name + context path, e.g. {@code localhost/shop} or {@code localhost/} for ROOT. The path is without the
     * version of a parallel deployment ({@code /shop##2} shares {@code localhost/shop}; see {@link SiblingVersions}).
     */
    static String namespaceOf(Context context) {
        Container host = context.getParent();
        String hostName = host == null || host.getName() == null ? "localhost" : host.getName();
        String path = SiblingVersions.pathOf(context);
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        return hostName + path;
    }

    /** The namespace (host + context path) this store serves; {@code null} before start. */
    public String getNamespace() {
        return namespace;
    }

    /** Counters, latencies and state, as JMX shows them; {@code null} before the first start. */
    public SessionStoreMXBean statistics() {
        return mbean;
    }

    /** The registered MBean name, or {@code null}. */
    public ObjectName getObjectName() {
        return mbean == null ? null : mbean.name();
    }

    /**
     * Per-id lock offered to Tomcat (11.0.26+ and 10.1.60+ take it around swap-in and id changes); by the id without
     * its route, in this node's memory only.
     */
    public ReadWriteLock getSessionStoreLock(String id) {
        String key = SessionKeys.storageKey(id);
        return storeLocks.of(key == null ? String.valueOf(id) : key);
    }

    // ------------------------------------------------------------------ Store contract

    @Override
    public String getStoreName() {
        return getClass().getSimpleName();
    }

    @Override
    public int getSize() throws IOException {
        return guard.call(b -> SessionBackend.Listing.sizeOf(b, 0));
    }

    @Override
    public String[] keys() throws IOException {
        return guard.call(SessionBackend.Listing::keysOf).stream().filter(k -> !Tombstones.isTombstone(k))
                .toArray(String[]::new);
    }

    @Override
    public String[] expiredKeys() throws IOException {
        long now = System.currentTimeMillis();
        return guard.call(b -> SessionBackend.Listing.expiredKeysOf(b, now, getExpiryBatchSize())).stream()
                .filter(k -> !Tombstones.isTombstone(k)).toArray(String[]::new);
    }

    @Override
    public void clear() throws IOException {
        guard.call(b -> {
            b.clear();
            return null;
        });
    }

    /**
     * Load a session; {@code null} for an invalid id, a missing, expired or unreadable record, or an unreachable
     * store. Never throws for bad data: the request then simply gets a new session. Also {@code null} while another
     * version of this context on this node holds the session in memory: Tomcat then routes it there.
     */
    @Override
    public Session load(String id) {
        String key = checkedKey(id);
        if (key == null) {
            return null;
        }
        if (siblings.holdInMemory(id)) {
            if (log.debugEnabled()) {
                log.debug("store.heldBySibling", SessionKeys.forLog(id), namespace);
            }
            return null;
        }
        return reader.load(id, key);
    }

    /**
     * PersistentManager's backup or swap-out: write the session if it changed since this node last wrote or read it;
     * else refresh the stored expiry when due, unless another node's record is newer.
     */
    @Override
    public void save(Session session) throws IOException {
        if (session instanceof StandardSession s
                && writer.flush(s, SessionWriter.Trigger.BACKUP, true) == FlushResult.FAILED) {
            throw new IOException(Messages.text("store.saveFailed", SessionKeys.forLog(s.getIdInternal()),
                    namespace, "see the previous warning"));
        }
    }

    /** Remove a session's record, as {@link SessionRemover} decides. */
    @Override
    public void remove(String id) {
        String key = checkedKey(id);
        if (key != null) {
            remover.remove(id, key);
        }
    }

    /** Background expiry: drop idle local copies, then claim expired records (see {@link Sweeper}). */
    @Override
    public void processExpires() {
        if (getState().isAvailable()) {
            sweeper.sweep();
        }
    }

    private String checkedKey(String id) {
        String key = keys.of(id);
        if (key == null) {
            metrics.rejectedIds.increment();
            if (log.debugEnabled()) {
                log.debug("store.invalidId", SessionKeys.forLog(id), namespace);
            }
        }
        return key;
    }

    // ------------------------------------------------------------------ for the valve, and tests in this package

    /** The request hooks, or {@code null} unless started. */
    RequestScope requestScope() {
        return getState().isAvailable() ? scope : null;
    }

    /**
     * The valve's background tick, every backgroundProcessorDelay: flushes what an access outside any request changed
     * (with the stock PersistentManager, see {@link AccessCatchUp}), then drops idle local copies between the manager's
     * expiry runs.
     */
    void backgroundTick() {
        if (getState().isAvailable()) {
            accessCatchUp.tick();
            sweeper.evictIdleCopies();
        }
    }

    FlushResult flush(StandardSession session, boolean sync, boolean endRequest) {
        return writer.flush(session, endRequest ? SessionWriter.Trigger.REQUEST_END
                : SessionWriter.Trigger.HOUSEKEEPING, sync);
    }

    void evict(StandardSession session) {
        copies.evict(session);
    }

    /** How this store turns ids into storage keys (set at start). */
    StorageKeys storageKeys() {
        return keys;
    }

    /** The connected backend or {@code null}. */
    SessionBackend currentBackend() {
        return guard == null ? null : guard.current();
    }

    @Override
    public String toString() {
        return getStoreName() + "[" + namespace + ", " + (guard == null ? "unavailable" : guard.describe()) + "]";
    }
}
