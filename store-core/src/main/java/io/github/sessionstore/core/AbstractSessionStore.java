package io.github.sessionstore.core;

import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Manager;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Session;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.session.StandardSession;
import org.apache.catalina.session.StoreBase;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The common write-through flush policy on top of a {@link SessionBackend}. A backend module extends this class, adds
 * its connection settings as JavaBean properties and implements {@link #openBackend(String)}.
 * <p>
 * What it adds to Tomcat's {@code PersistentManager}:
 * <ul>
 * <li>a {@link WriteThroughValve} (installed automatically) flushes every session at the end of the request that used
 * it; unchanged sessions cost no write, only a coalesced expiry refresh;</li>
 * <li>ids are validated before any backend access and the {@code jvmRoute} suffix is not part of the key;</li>
 * <li>several nodes can share the store: a node stop, undeploy or stale local copy never deletes a session that is
 * alive in the store, and expired sessions are claimed by exactly one node, which fires the listeners.</li>
 * </ul>
 */
public abstract class AbstractSessionStore extends StoreBase implements SessionStoreMXBean {

    private static final Log log = LogFactory.getLog(AbstractSessionStore.class);
    static final StringManager strings = StringManager.getManager(AbstractSessionStore.class);

    static final String DEFAULT_IGNORE_URI_PATTERN =
            ".*\\.(ico|png|gif|jpg|jpeg|webp|svg|css|js|map|woff|woff2|ttf|eot)$";

    /** Set by the valve while it runs a request of this store's context: a remove is then the application's. */
    private static final ThreadLocal<AbstractSessionStore> REQUEST_SCOPE = new ThreadLocal<>();
    /** Set while the valve looks up the request's session at the end: a store load must not happen then. */
    private static final ThreadLocal<AbstractSessionStore> PROBING = new ThreadLocal<>();
    /** Set while this store expires a claimed session: the record is already gone. */
    private static final ThreadLocal<AbstractSessionStore> SWEEPING = new ThreadLocal<>();

    private static final int LOCK_STRIPES = 64;
    private static final long RECONNECT_INTERVAL_MILLIS = 5000;
    private static final long LOG_INTERVAL_MILLIS = 10_000;
    private static final int BREAKER_THRESHOLD = 3;
    /** A key no session can have (ids are at least 1 char of [A-Za-z0-9_-]; this one is simply never issued). */
    static final String PROBE_KEY = "sessionstore-probe";
    private static final int MAX_SWEEP_BATCHES = 20;
    private static final int MAX_LOGGED_IDS = 1000;
    /** Compare-and-set attempts of one flush before it counts as failed (and is retried in the background). */
    static final int MAX_WRITE_ATTEMPTS = 5;
    private static final String LOCK_NOTE = "io.github.sessionstore.core.SessionLock";

    // ------------------------------------------------------------------ settings

    private FlushPolicy flushPolicy = FlushPolicy.WRITE_THROUGH;
    private String ignoreUriPattern = DEFAULT_IGNORE_URI_PATTERN;
    private volatile Pattern ignoreUri = Pattern.compile(DEFAULT_IGNORE_URI_PATTERN);
    private boolean nonSticky = false;
    private double touchThreshold = 0.5;
    private int maxLocalIdle = 0;
    private int maxSessionSize = 16 * 1024 * 1024;
    private int asyncQueueSize = 10_000;
    private int expiryBatchSize = 500;
    private int operationTimeout = 3000;
    private int maxUnflushed = 10_000;
    private int probeInterval = 1000;
    private String classAllowList = "";
    private LockingMode lockingMode; // null: optimistic when nonSticky, else none
    private int lockTimeout = 3000;
    private int lockLease = 30_000;
    private volatile Pattern allowList;

    // ------------------------------------------------------------------ state

    final StoreMetrics metrics = new StoreMetrics();
    private final ReentrantLock[] flushLocks = new ReentrantLock[LOCK_STRIPES];
    private final ReadWriteLock[] storeLocks = new ReadWriteLock[LOCK_STRIPES];
    private final Map<String, Boolean> loggedIds = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_LOGGED_IDS;
        }
    });

    private final CircuitBreaker breaker = new CircuitBreaker(BREAKER_THRESHOLD);
    /** Sessions whose last flush failed: kept in memory (never evicted) and retried until the store takes them. */
    private final Map<String, StandardSession> unflushed = new ConcurrentHashMap<>();
    /** Deletes (invalidations, id changes) that failed: retried, so a returning store cannot resurrect them. */
    private final Set<String> pendingDeletes = ConcurrentHashMap.newKeySet();
    /** Lock owner tokens: this store instance plus a sequence number, so only the taker releases a lock. */
    private final String lockOwnerPrefix = UUID.randomUUID().toString() + '-';
    private final AtomicLong lockSequence = new AtomicLong();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService maintenance;
    private volatile SessionBackend backend;
    private volatile long nextConnectAttempt;
    private volatile String namespace;
    private volatile AsyncFlusher asyncFlusher;
    private ObjectName objectName;
    private final LifecycleListener beforeStopListener = this::managerLifecycleEvent;

    protected AbstractSessionStore() {
        for (int i = 0; i < LOCK_STRIPES; i++) {
            flushLocks[i] = new ReentrantLock();
            storeLocks[i] = new ReentrantReadWriteLock();
        }
    }

    // ------------------------------------------------------------------ SPI for backend modules

    /**
     * Create the backend for one namespace (host + context path). Called at start and again, at most every few
     * seconds, while it fails: the webapp deploys and serves requests while the store is unreachable.
     */
    protected abstract SessionBackend openBackend(String namespace) throws IOException;

    /** Reject a setting change once the store runs; configuration is sealed at start. */
    protected final void checkNotStarted(String property) {
        if (getState().isAvailable()) {
            throw new IllegalStateException(property + " cannot be changed after the store has started");
        }
    }

    // ------------------------------------------------------------------ settings (Digester + JMX)

    @Override
    public String getFlushPolicy() {
        return flushPolicy.attributeValue;
    }

    /** {@code write-through} (default), {@code async} or {@code idle}. */
    public void setFlushPolicy(String flushPolicy) {
        checkNotStarted("flushPolicy");
        this.flushPolicy = FlushPolicy.parse(flushPolicy);
    }

    @Override
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

    @Override
    public boolean isNonSticky() {
        return nonSticky;
    }

    /** Requests of one session may reach any node: check the stored version at request start. */
    public void setNonSticky(boolean nonSticky) {
        checkNotStarted("nonSticky");
        this.nonSticky = nonSticky;
    }

    @Override
    public double getTouchThreshold() {
        return touchThreshold;
    }

    /** An unchanged session's stored expiry is refreshed once less than this fraction of its timeout remains. */
    public void setTouchThreshold(double touchThreshold) {
        checkNotStarted("touchThreshold");
        if (!(touchThreshold > 0 && touchThreshold <= 1)) {
            throw new IllegalArgumentException("touchThreshold must be in (0, 1]; was " + touchThreshold);
        }
        this.touchThreshold = touchThreshold;
    }

    @Override
    public int getMaxLocalIdle() {
        return maxLocalIdle;
    }

    /**
     * Seconds after which an idle session is dropped from this node's memory (it stays in the store); 0 (default)
     * means half the session's own timeout.
     */
    public void setMaxLocalIdle(int maxLocalIdle) {
        checkNotStarted("maxLocalIdle");
        if (maxLocalIdle < 0) {
            throw new IllegalArgumentException("maxLocalIdle must be >= 0; was " + maxLocalIdle);
        }
        this.maxLocalIdle = maxLocalIdle;
    }

    @Override
    public int getMaxSessionSize() {
        return maxSessionSize;
    }

    /** Largest encoded session in bytes; a larger one is not written and is logged and counted. */
    public void setMaxSessionSize(int maxSessionSize) {
        checkNotStarted("maxSessionSize");
        if (maxSessionSize < 1024) {
            throw new IllegalArgumentException("maxSessionSize must be at least 1024 bytes; was " + maxSessionSize);
        }
        this.maxSessionSize = maxSessionSize;
    }

    @Override
    public int getAsyncQueueSize() {
        return asyncQueueSize;
    }

    /** Bound of the {@code async} policy's queue; when full, requests write synchronously. */
    public void setAsyncQueueSize(int asyncQueueSize) {
        checkNotStarted("asyncQueueSize");
        if (asyncQueueSize < 1) {
            throw new IllegalArgumentException("asyncQueueSize must be positive; was " + asyncQueueSize);
        }
        this.asyncQueueSize = asyncQueueSize;
    }

    @Override
    public int getExpiryBatchSize() {
        return expiryBatchSize;
    }

    /** How many expired sessions one sweep query claims at most. */
    public void setExpiryBatchSize(int expiryBatchSize) {
        checkNotStarted("expiryBatchSize");
        if (expiryBatchSize < 1 || expiryBatchSize > 100_000) {
            throw new IllegalArgumentException("expiryBatchSize must be in [1, 100000]; was " + expiryBatchSize);
        }
        this.expiryBatchSize = expiryBatchSize;
    }

    @Override
    public int getOperationTimeout() {
        return operationTimeout;
    }

    /** Upper bound in milliseconds of one backend call; backends apply it to their client. */
    public void setOperationTimeout(int operationTimeout) {
        checkNotStarted("operationTimeout");
        if (operationTimeout < 1 || operationTimeout > 600_000) {
            throw new IllegalArgumentException("operationTimeout must be in [1, 600000] ms; was " + operationTimeout);
        }
        this.operationTimeout = operationTimeout;
    }

    @Override
    public int getMaxUnflushed() {
        return maxUnflushed;
    }

    /**
     * How many sessions whose write failed (store down) are tracked for retry at most; beyond it the overflow is
     * counted and logged, and those sessions are retried only by their next request.
     */
    public void setMaxUnflushed(int maxUnflushed) {
        checkNotStarted("maxUnflushed");
        if (maxUnflushed < 1) {
            throw new IllegalArgumentException("maxUnflushed must be positive; was " + maxUnflushed);
        }
        this.maxUnflushed = maxUnflushed;
    }

    @Override
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

    @Override
    public int getProbeInterval() {
        return probeInterval;
    }

    /** Milliseconds between the background checks that reconnect, probe an open circuit and retry failed writes. */
    public void setProbeInterval(int probeInterval) {
        checkNotStarted("probeInterval");
        if (probeInterval < 50 || probeInterval > 60_000) {
            throw new IllegalArgumentException("probeInterval must be in [50, 60000] ms; was " + probeInterval);
        }
        this.probeInterval = probeInterval;
    }

    @Override
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

    @Override
    public int getLockTimeout() {
        return lockTimeout;
    }

    /**
     * Pessimistic mode: milliseconds a request waits for its session's lock; after that it goes ahead without it and
     * its write is still a compare-and-set.
     */
    public void setLockTimeout(int lockTimeout) {
        checkNotStarted("lockTimeout");
        if (lockTimeout < 0 || lockTimeout > 600_000) {
            throw new IllegalArgumentException("lockTimeout must be in [0, 600000] ms; was " + lockTimeout);
        }
        this.lockTimeout = lockTimeout;
    }

    @Override
    public int getLockLease() {
        return lockLease;
    }

    /** Pessimistic mode: milliseconds after which a lock lapses, so a node that dies holding it blocks no longer. */
    public void setLockLease(int lockLease) {
        checkNotStarted("lockLease");
        if (lockLease < 1000 || lockLease > 3_600_000) {
            throw new IllegalArgumentException("lockLease must be in [1000, 3600000] ms; was " + lockLease);
        }
        this.lockLease = lockLease;
    }

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
                installValve(manager.getContext());
            }
        }
    }

    private final PropertyChangeListener contextListener = evt -> {
        if ("context".equals(evt.getPropertyName()) && evt.getNewValue() instanceof Context context) {
            installValve(context);
        }
    };

    private void installValve(Context context) {
        if (flushPolicy == FlushPolicy.IDLE) {
            return;
        }
        Pipeline pipeline = context.getPipeline();
        for (Valve v : pipeline.getValves()) {
            if (v instanceof WriteThroughValve) {
                return;
            }
        }
        pipeline.addValve(new WriteThroughValve());
    }

    @Override
    protected void startInternal() throws LifecycleException {
        Manager manager = getManager();
        if (!(manager instanceof PersistentManagerBase)) {
            throw new LifecycleException(strings.getString("store.needsPersistentManager",
                    manager == null ? "null" : manager.getClass().getName()));
        }
        Context context = manager.getContext();
        namespace = namespaceOf(context);
        installValve(context);
        if (flushPolicy == FlushPolicy.ASYNC) {
            asyncFlusher = new AsyncFlusher("sessionstore-async-" + namespace, asyncQueueSize, this::writeTimed);
        }
        if (manager instanceof Lifecycle lifecycle) {
            lifecycle.addLifecycleListener(beforeStopListener);
        }
        connect(true);
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sessionstore-maintenance-" + namespace);
            t.setDaemon(true);
            // never pin the webapp's class loader (Tomcat reports threads holding it as leaks)
            t.setContextClassLoader(AbstractSessionStore.class.getClassLoader());
            return t;
        });
        exec.scheduleWithFixedDelay(this::maintain, probeInterval, probeInterval, TimeUnit.MILLISECONDS);
        maintenance = exec;
        registerMBean(context);
        super.startInternal();
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
        Manager manager = getManager();
        if (manager instanceof Lifecycle lifecycle) {
            lifecycle.removeLifecycleListener(beforeStopListener);
        }
        AsyncFlusher flusher = asyncFlusher;
        asyncFlusher = null;
        if (flusher != null) {
            flusher.stop(Math.max(5000, operationTimeout * 2L));
        }
        ScheduledExecutorService exec = maintenance;
        maintenance = null;
        if (exec != null) {
            exec.shutdownNow();
            try {
                exec.awaitTermination(operationTimeout * 2L, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!unflushed.isEmpty() || !pendingDeletes.isEmpty()) {
            log.warn(strings.getString("store.stopUnflushed", namespace, Integer.toString(unflushed.size()),
                    Integer.toString(pendingDeletes.size())));
        }
        unregisterMBean();
        SessionBackend b = backend;
        backend = null;
        if (b != null) {
            try {
                b.close();
            } catch (IOException | RuntimeException e) {
                log.warn(strings.getString("store.closeFailed", namespace, e.toString()));
            }
        }
    }

    /*
     * Before PersistentManager stops, it either unloads its sessions (saveOnRestart) or expires them, which would fire
     * sessionDestroyed and delete sessions that are alive in the shared store. Flush what is dirty, then drop the local
     * copies, so that it finds nothing to expire.
     */
    private void managerLifecycleEvent(LifecycleEvent event) {
        if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType())) {
            Manager manager = getManager();
            int n = 0;
            for (Session s : manager.findSessions()) {
                if (s instanceof StandardSession session && session.isValid()) {
                    if (flush(session, true, false) != FlushResult.FAILED) {
                        evict(session);
                        n++;
                    }
                }
            }
            if (n > 0 && log.isDebugEnabled()) {
                log.debug(strings.getString("store.stopEvicted", namespace, Integer.toString(n)));
            }
        }
    }

    /** Host name + context path, e.g. {@code localhost/shop} or {@code localhost/} for ROOT. */
    static String namespaceOf(Context context) {
        Container host = context.getParent();
        String hostName = host == null || host.getName() == null ? "localhost" : host.getName();
        String path = context.getName() == null ? "" : context.getName();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        return hostName + path;
    }

    /** The namespace (host + context path) this store serves; {@code null} before start. */
    public String getNamespace() {
        return namespace;
    }

    // ------------------------------------------------------------------ backend access

    @FunctionalInterface
    interface BackendCall<T> {
        T apply(SessionBackend backend) throws IOException;
    }

    /**
     * Every backend call goes through here: fails fast while the store is unreachable or the circuit is open, and
     * counts failures towards opening it. Request threads never connect; the maintenance thread does.
     */
    private <T> T call(BackendCall<T> op) throws IOException {
        SessionBackend b = backend;
        if (b == null) {
            throw unavailable();
        }
        if (breaker.isOpen()) {
            metrics.fastFails.increment();
            throw new IOException(strings.getString("store.circuitOpen", namespace));
        }
        try {
            T result = op.apply(b);
            breaker.success();
            return result;
        } catch (IOException | RuntimeException e) {
            if (breaker.failure()) {
                log.warn(strings.getString("store.circuitOpened", namespace, safeMessage(e)));
            }
            throw e;
        }
    }

    /**
     * Background maintenance, every {@code probeInterval}: connect if not connected, probe an open circuit and close
     * it when the store answers, then retry failed writes and deletes.
     */
    void maintain() {
        try {
            if (!getState().isAvailable()) {
                return;
            }
            if (backend == null) {
                if (System.currentTimeMillis() < nextConnectAttempt || connect(false) == null) {
                    return;
                }
            }
            if (breaker.isOpen()) {
                try {
                    backend.stat(PROBE_KEY);
                } catch (IOException | RuntimeException e) {
                    return;
                }
                if (breaker.close()) {
                    log.info(strings.getString("store.circuitClosed", namespace,
                            Integer.toString(unflushed.size() + pendingDeletes.size())));
                }
            }
            retryPending();
        } catch (RuntimeException e) {
            log.warn(strings.getString("store.maintenanceFailed", namespace, safeMessage(e)));
        }
    }

    private void retryPending() {
        for (String key : pendingDeletes) {
            try {
                call(b -> b.delete(key));
                pendingDeletes.remove(key);
                metrics.removes.increment();
            } catch (IOException | RuntimeException e) {
                return; // still down; the next round tries again
            }
        }
        for (Map.Entry<String, StandardSession> e : unflushed.entrySet()) {
            StandardSession session = e.getValue();
            if (!unflushed.remove(e.getKey(), session) || !session.isValid()) {
                continue;
            }
            if (flush(session, true, false) == FlushResult.FAILED) {
                return; // flush registered it again
            }
        }
    }

    private void registerUnflushed(String key, StandardSession session) {
        if (unflushed.size() >= maxUnflushed && !unflushed.containsKey(key)) {
            metrics.unflushedOverflow.increment();
            warnLimited("store.unflushedOverflow", namespace, Integer.toString(maxUnflushed));
            return;
        }
        unflushed.put(key, session);
    }

    /** A warning logged at most once per 10 s per message, for conditions that repeat on every request. */
    private void warnLimited(String messageKey, Object... args) {
        long now = System.currentTimeMillis();
        Long last = lastLogged.get(messageKey);
        if (last == null || now - last >= LOG_INTERVAL_MILLIS) {
            lastLogged.put(messageKey, now);
            log.warn(strings.getString(messageKey, args));
        }
    }

    private synchronized SessionBackend connect(boolean atStart) {
        if (backend != null) {
            return backend;
        }
        nextConnectAttempt = System.currentTimeMillis() + RECONNECT_INTERVAL_MILLIS;
        try {
            SessionBackend b = openBackend(namespace);
            backend = b;
            log.info(strings.getString("store.connected", namespace, b.describe(), flushPolicy.attributeValue,
                    Boolean.toString(nonSticky), effectiveLockingMode().attributeValue));
            return b;
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            log.error(strings.getString(atStart ? "store.connectFailedAtStart" : "store.connectFailed", namespace,
                    safeMessage(e)));
            return null;
        }
    }

    /** Exception text for logs: the class and message only; backends keep credentials out of their messages. */
    static String safeMessage(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** The connected backend or {@code null}; for tests and benchmarks in this package. */
    SessionBackend currentBackend() {
        return backend;
    }

    private IOException unavailable() {
        return new IOException(strings.getString("store.unavailable", namespace));
    }

    private ReentrantLock flushLock(String key) {
        return flushLocks[(key.hashCode() & 0x7fffffff) % LOCK_STRIPES];
    }

    /** Per-id lock offered to Tomcat (11.0.26+ takes it around swap-in and id changes). */
    public ReadWriteLock getSessionStoreLock(String id) {
        String key = SessionKeys.storageKey(id);
        return storeLocks[((key == null ? String.valueOf(id) : key).hashCode() & 0x7fffffff) % LOCK_STRIPES];
    }

    private void writeTimed(String key, StoredSession record) throws IOException {
        long t0 = System.nanoTime();
        call(b -> {
            b.save(key, record);
            return null;
        });
        metrics.saveLatency.record(System.nanoTime() - t0);
        metrics.saves.increment();
    }

    // ------------------------------------------------------------------ Store contract

    @Override
    public String getStoreName() {
        return getClass().getSimpleName();
    }

    @Override
    public int getSize() throws IOException {
        return Math.max(0, call(SessionBackend::size));
    }

    @Override
    public String[] keys() throws IOException {
        return call(SessionBackend::keys).toArray(new String[0]);
    }

    @Override
    public String[] expiredKeys() throws IOException {
        long now = System.currentTimeMillis();
        return call(b -> b.expiredKeys(now, expiryBatchSize)).toArray(new String[0]);
    }

    @Override
    public void clear() throws IOException {
        call(b -> {
            b.clear();
            return null;
        });
    }

    /**
     * Load a session; {@code null} for an invalid id, a missing, expired or unreadable record, or an unreachable
     * store. Never throws for bad data: the request then simply gets a new session.
     */
    @Override
    public Session load(String id) throws IOException {
        if (PROBING.get() == this) {
            return null;
        }
        String key = checkedKey(id);
        if (key == null) {
            return null;
        }
        StoredSession record;
        long t0 = System.nanoTime();
        try {
            record = call(b -> b.load(key));
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            warnLimited("store.loadFailed", SessionKeys.forLog(id), namespace, safeMessage(e));
            return null;
        }
        metrics.loadLatency.record(System.nanoTime() - t0);
        long now = System.currentTimeMillis();
        if (record == null || record.isExpired(now)) {
            // An expired record is left for the sweeper, which fires the listeners on exactly one node
            metrics.misses.increment();
            return null;
        }
        StandardSession session = decode(id, key, record.data());
        if (session == null) {
            return null;
        }
        byte[] digest;
        try {
            // Digest of this node's own encoding: re-serializing deserialized objects need not give the stored
            // bytes (boxed-value identity), and comparing against them would turn the next read into a write
            digest = SessionCodec.encode(session, record.data().length).digest();
        } catch (IOException | RuntimeException e) {
            digest = null; // the next flush writes
        }
        // The store decides expiry (other nodes may have kept the session alive): open a fresh access window
        session.access();
        session.endAccess();
        session.setNote(FlushState.NOTE, new FlushState(key, digest, record.version(), record.expiresAt(),
                record.data().length, attributeDigests(session), session.getMaxInactiveInterval()));
        metrics.loads.increment();
        return session;
    }

    private StandardSession decode(String id, String key, byte[] data) {
        if (!SessionCodec.hasHeader(data)) {
            metrics.corruptRecords.increment();
            logOnce(key, "store.corruptHeader", SessionKeys.forLog(id), namespace);
            return null;
        }
        Context context = getManager().getContext();
        ClassLoader old = context.bind(false, null);
        try (ObjectInputStream ois = getObjectInputStream(SessionCodec.payload(data))) {
            ObjectInputFilter limits = SessionInputFilter.of(allowList, data.length);
            ObjectInputFilter jvmWide = ois.getObjectInputFilter();
            ois.setObjectInputFilter(jvmWide == null ? limits : ObjectInputFilter.merge(limits, jvmWide));
            StandardSession session = (StandardSession) getManager().createEmptySession();
            session.readObjectData(ois);
            session.setManager(getManager());
            return session;
        } catch (Exception | LinkageError e) {
            // ClassNotFound, InvalidClass (class filter), StreamCorrupted, EOF (truncated), ClassCast ...
            metrics.corruptRecords.increment();
            logOnce(key, "store.corruptPayload", SessionKeys.forLog(id), namespace, safeMessage(e));
            return null;
        } finally {
            context.unbind(false, old);
        }
    }

    private void logOnce(String key, String messageKey, Object... args) {
        if (loggedIds.put(messageKey + ':' + key, Boolean.TRUE) == null) {
            log.warn(strings.getString(messageKey, args));
        }
    }

    private String checkedKey(String id) {
        String key = SessionKeys.storageKey(id);
        if (key == null) {
            metrics.rejectedIds.increment();
            if (log.isDebugEnabled()) {
                log.debug(strings.getString("store.invalidId", SessionKeys.forLog(id), namespace));
            }
        }
        return key;
    }

    /** Write the session if its state changed since this node last wrote or read it (used by PersistentManager). */
    @Override
    public void save(Session session) throws IOException {
        if (session instanceof StandardSession s && flush(s, true, false) == FlushResult.FAILED) {
            throw new IOException(strings.getString("store.saveFailed", SessionKeys.forLog(s.getIdInternal()),
                    namespace, "see the previous warning"));
        }
    }

    /**
     * Remove a session. Inside a request of this context it is the application's doing (invalidate, id change) and
     * the record goes. Anywhere else (local expiry of an idle copy in the background) the stored record is only
     * deleted if it has itself expired: another node may have kept the session alive.
     */
    @Override
    public void remove(String id) throws IOException {
        if (SWEEPING.get() == this) {
            return;
        }
        String key = checkedKey(id);
        if (key == null) {
            return;
        }
        boolean fromRequest = REQUEST_SCOPE.get() == this;
        unflushed.remove(key);
        try {
            if (fromRequest) {
                call(b -> b.delete(key));
                metrics.removes.increment();
            } else {
                long now = System.currentTimeMillis();
                if (call(b -> b.claimExpired(key, now)) != null) {
                    metrics.removes.increment();
                }
            }
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            if (fromRequest) {
                // An invalidation must not be undone when the store comes back
                if (pendingDeletes.size() < maxUnflushed) {
                    pendingDeletes.add(key);
                } else {
                    metrics.unflushedOverflow.increment();
                }
            }
            warnLimited("store.removeFailed", SessionKeys.forLog(id), namespace, safeMessage(e));
        }
    }

    // ------------------------------------------------------------------ flush policy

    enum FlushResult {
        WRITTEN, QUEUED, TOUCHED, SKIPPED, FAILED
    }

    /**
     * Flush one session: a full write when its state changed, else at most a coalesced expiry refresh.
     *
     * @param sync       write on this thread even under the async policy
     * @param endRequest called at the end of a request of this session
     */
    FlushResult flush(StandardSession session, boolean sync, boolean endRequest) {
        if (!session.isValid()) {
            return FlushResult.SKIPPED;
        }
        String id = session.getIdInternal();
        String key = SessionKeys.storageKey(id);
        if (key == null) {
            metrics.rejectedIds.increment();
            logOnce(String.valueOf(id), "store.unstorableId", SessionKeys.forLog(id), namespace);
            return FlushResult.FAILED;
        }
        if (endRequest && session.isNew()) {
            // Tomcat clears it when the request ends anyway; clearing it first keeps the encoding stable
            session.setNew(false);
        }
        ReentrantLock lock = flushLock(key);
        lock.lock();
        try {
            FlushState state = (FlushState) session.getNote(FlushState.NOTE);
            SessionCodec.Encoded encoded = SessionCodec.encode(session, state == null ? 0 : state.encodedLength);
            int maxInactive = session.getMaxInactiveInterval();
            long accessed = session.getThisAccessedTimeInternal();
            long expiresAt = StoredSession.expiryOf(accessed, maxInactive);
            if (state != null && state.key.equals(key) && Arrays.equals(state.digest, encoded.digest())) {
                if (!endRequest) {
                    // Eviction, stop, retries: this copy's access time may be older than what another node stored
                    metrics.skippedWrites.increment();
                    return FlushResult.SKIPPED;
                }
                return touchIfDue(session, state, key, accessed, expiresAt, maxInactive);
            }
            if (encoded.bytes().length > maxSessionSize) {
                metrics.oversizeSessions.increment();
                logOnce(key, "store.oversize", SessionKeys.forLog(id), namespace,
                        Integer.toString(encoded.bytes().length), Integer.toString(maxSessionSize));
                return FlushResult.FAILED;
            }
            FlushResult result;
            if (effectiveLockingMode() != LockingMode.NONE) {
                result = writeRebasing(session, state, key, encoded);
                pendingDeletes.remove(key);
                unflushed.remove(key, session);
                return result;
            }
            long version = nextVersion(state == null ? 0 : state.version);
            StoredSession record = new StoredSession(encoded.bytes(), version, accessed, maxInactive, expiresAt);
            AsyncFlusher flusher = asyncFlusher;
            if (!sync && flusher != null && flusher.offer(key, record)) {
                result = FlushResult.QUEUED;
            } else {
                if (!sync && flusher != null) {
                    metrics.asyncFallbacks.increment();
                }
                writeTimed(key, record);
                result = FlushResult.WRITTEN;
            }
            session.setNote(FlushState.NOTE, new FlushState(key, encoded.digest(), version, expiresAt,
                    encoded.bytes().length, null, maxInactive));
            pendingDeletes.remove(key);
            unflushed.remove(key, session);
            return result;
        } catch (IOException | RuntimeException e) {
            // The note is unchanged: the session stays dirty, is never evicted, and is retried
            metrics.errors.increment();
            registerUnflushed(key, session);
            warnLimited("store.saveFailed", SessionKeys.forLog(id), namespace, safeMessage(e));
            return FlushResult.FAILED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The locking modes' write: a compare-and-set over the version this node read or last wrote. When another node
     * wrote in between, its state is read, this node's own attribute changes are applied on top of it (its other
     * attributes and a timeout this node did not change are taken over), and the write is tried again.
     */
    private FlushResult writeRebasing(StandardSession session, FlushState state, String key,
            SessionCodec.Encoded firstEncoding) throws IOException {
        SessionCodec.Encoded encoded = firstEncoding;
        long expected = state == null ? 0 : state.version;
        Map<String, byte[]> base = state == null || state.attributes == null ? Map.of() : state.attributes;
        int baseMaxInactive = state == null ? session.getMaxInactiveInterval() : state.maxInactive;
        for (int attempt = 1;; attempt++) {
            int maxInactive = session.getMaxInactiveInterval();
            long accessed = session.getThisAccessedTimeInternal();
            long expiresAt = StoredSession.expiryOf(accessed, maxInactive);
            long version = nextVersion(expected);
            StoredSession record = new StoredSession(encoded.bytes(), version, accessed, maxInactive, expiresAt);
            long expectedVersion = expected;
            long t0 = System.nanoTime();
            boolean written = call(b -> b.saveIfVersion(key, record, expectedVersion));
            metrics.saveLatency.record(System.nanoTime() - t0);
            if (written) {
                metrics.saves.increment();
                session.setNote(FlushState.NOTE, new FlushState(key, encoded.digest(), version, expiresAt,
                        encoded.bytes().length, AttributeMerge.digests(session), maxInactive));
                return FlushResult.WRITTEN;
            }
            metrics.versionConflicts.increment();
            if (attempt >= MAX_WRITE_ATTEMPTS) {
                throw new IOException("the stored version kept changing (" + attempt + " attempts)");
            }
            StoredSession stored = call(b -> b.load(key));
            if (stored == null) {
                if (expected == 0) {
                    continue; // created and gone again in between: create it
                }
                // Invalidated (or expired and claimed) on another node while this one used it: it stays gone
                metrics.staleEvictions.increment();
                evict(session);
                return FlushResult.SKIPPED;
            }
            StandardSession theirs = decode(session.getIdInternal(), key, stored.data());
            if (theirs != null) {
                Map<String, byte[]> theirDigests = AttributeMerge.digests(theirs);
                metrics.attributeConflicts.add(AttributeMerge.rebase(session, base, AttributeMerge.digests(session),
                        theirs, theirDigests));
                int theirMaxInactive = theirs.getMaxInactiveInterval();
                if (maxInactive == baseMaxInactive && theirMaxInactive != maxInactive) {
                    session.setMaxInactiveInterval(theirMaxInactive);
                }
                base = theirDigests;
                baseMaxInactive = theirMaxInactive;
                encoded = SessionCodec.encode(session, encoded.bytes().length);
                if (encoded.bytes().length > maxSessionSize) {
                    metrics.oversizeSessions.increment();
                    throw new IOException("merged session above maxSessionSize: " + encoded.bytes().length);
                }
            } // else unreadable: replaced by this node's state
            expected = stored.version();
        }
    }

    /** Per-attribute digests for the locking modes (the base of a rebase); {@code null} without them. */
    private Map<String, byte[]> attributeDigests(StandardSession session) {
        return effectiveLockingMode() == LockingMode.NONE ? null : AttributeMerge.digests(session);
    }

    private FlushResult touchIfDue(StandardSession session, FlushState state, String key, long accessed,
            long expiresAt, int maxInactive) throws IOException {
        long now = System.currentTimeMillis();
        if (maxInactive <= 0 || state.storedExpiresAt == StoredSession.NEVER && expiresAt == StoredSession.NEVER
                || state.storedExpiresAt - now > (long) (maxInactive * 1000L * touchThreshold)) {
            metrics.skippedWrites.increment();
            return FlushResult.SKIPPED;
        }
        long t0 = System.nanoTime();
        boolean present = call(b -> b.touch(key, accessed, expiresAt));
        metrics.touchLatency.record(System.nanoTime() - t0);
        if (!present) {
            // Invalidated or claimed elsewhere: this copy must not bring it back
            metrics.staleEvictions.increment();
            evict(session);
            return FlushResult.SKIPPED;
        }
        metrics.touches.increment();
        state.storedExpiresAt = expiresAt;
        return FlushResult.TOUCHED;
    }

    /** Monotonic per writer and practically unique across nodes: millis in the high bits, random low bits. */
    static long nextVersion(long previous) {
        long candidate = (System.currentTimeMillis() << 12) | ThreadLocalRandom.current().nextInt(1 << 12);
        return Math.max(previous + 1, candidate);
    }

    // ------------------------------------------------------------------ called by the valve

    boolean isIgnored(String uri) {
        Pattern p = ignoreUri;
        return p != null && uri != null && p.matcher(uri).matches();
    }

    boolean isWriteThrough() {
        return flushPolicy != FlushPolicy.IDLE;
    }

    /**
     * Before the request (nonSticky only): drop a local copy that is older than the stored version or gone from the
     * store, so that the request sees the store's state. One metadata read; no full load unless it is stale.
     * (Copies that sat idle are dropped by the background eviction instead: Tomcat's findSession refreshes a session's
     * access time, so its idleness cannot be judged here.)
     */
    void beforeRequest(Request request) {
        String id = request.getRequestedSessionId();
        if (id == null || !getState().isAvailable()) {
            return;
        }
        boolean pessimistic = effectiveLockingMode() == LockingMode.PESSIMISTIC;
        if (pessimistic) {
            lock(request, id);
        }
        if (!nonSticky && !pessimistic) {
            return;
        }
        PersistentManagerBase manager = (PersistentManagerBase) getManager();
        if (!manager.isLoaded(id)) {
            return;
        }
        Session local;
        try {
            PROBING.set(this);
            local = manager.findSession(id);
        } catch (IOException e) {
            return;
        } finally {
            PROBING.remove();
        }
        if (!(local instanceof StandardSession session)) {
            return;
        }
        FlushState state = (FlushState) session.getNote(FlushState.NOTE);
        if (state == null || unflushed.containsKey(state.key)) {
            return; // never written, or holding changes the store has not taken yet
        }
        try {
            StoredSession meta = call(b -> b.stat(state.key));
            if (meta == null || meta.isExpired(System.currentTimeMillis()) || meta.version() != state.version) {
                metrics.staleEvictions.increment();
                evict(session);
            }
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            warnLimited("store.versionCheckFailed", SessionKeys.forLog(id), namespace, safeMessage(e));
        }
    }

    void enterRequest() {
        REQUEST_SCOPE.set(this);
    }

    void exitRequest() {
        REQUEST_SCOPE.remove();
    }

    /** After the request (or its async cycle): flush the session it used, if any, then release its lock. */
    void afterRequest(Request request) {
        try {
            flushAfterRequest(request);
        } finally {
            unlock(request);
        }
    }

    private void flushAfterRequest(Request request) {
        Session session;
        PROBING.set(this);
        try {
            session = request.getSessionInternal(false);
        } finally {
            PROBING.remove();
        }
        if (session instanceof StandardSession s) {
            AbstractSessionStore prev = REQUEST_SCOPE.get();
            REQUEST_SCOPE.set(this);
            try {
                flush(s, flushPolicy == FlushPolicy.WRITE_THROUGH, true);
            } finally {
                if (prev == null) {
                    REQUEST_SCOPE.remove();
                }
            }
        }
    }

    private record HeldLock(String key, String owner) {
    }

    /**
     * Pessimistic mode: take the session's cross-node lock before the request, waiting at most lockTimeout. A request
     * that cannot get it in time (or while the store is unreachable) goes ahead: it is never failed for it, and its
     * write is still a compare-and-set.
     */
    private void lock(Request request, String id) {
        String key = SessionKeys.storageKey(id);
        if (key == null) {
            return;
        }
        String owner = lockOwnerPrefix + lockSequence.incrementAndGet();
        long deadline = System.nanoTime() + lockTimeout * 1_000_000L;
        long pauseMillis = 2;
        for (int attempt = 0; attempt < 100_000; attempt++) {
            try {
                if (call(b -> b.tryLock(key, owner, lockLease))) {
                    request.setNote(LOCK_NOTE, new HeldLock(key, owner));
                    return;
                }
            } catch (IOException | RuntimeException e) {
                metrics.errors.increment();
                warnLimited("store.lockFailed", SessionKeys.forLog(id), namespace, safeMessage(e));
                return;
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0) {
                break;
            }
            if (attempt == 0) {
                metrics.lockWaits.increment();
            }
            try {
                Thread.sleep(Math.min(pauseMillis, leftMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
        metrics.lockTimeouts.increment();
        warnLimited("store.lockTimeout", SessionKeys.forLog(id), namespace, Integer.toString(lockTimeout));
    }

    private void unlock(Request request) {
        if (!(request.getNote(LOCK_NOTE) instanceof HeldLock held)) {
            return;
        }
        request.removeNote(LOCK_NOTE);
        try {
            call(b -> {
                b.unlock(held.key(), held.owner());
                return null;
            });
        } catch (IOException | RuntimeException e) {
            // The lease lapses on its own
            metrics.errors.increment();
            warnLimited("store.unlockFailed", held.key(), namespace, safeMessage(e));
        }
    }

    // ------------------------------------------------------------------ local copies and expiry

    private boolean isLocallyIdle(StandardSession session, long now) {
        long limitMillis;
        if (maxLocalIdle > 0) {
            limitMillis = maxLocalIdle * 1000L;
        } else {
            int maxInactive = session.getMaxInactiveInterval();
            if (maxInactive <= 0) {
                return false;
            }
            limitMillis = maxInactive * 500L;
        }
        return now - session.getThisAccessedTimeInternal() >= limitMillis;
    }

    /** Drop the local copy without expiring it: no listener fires and the store keeps the record. */
    void evict(StandardSession session) {
        session.passivate();
        ((PersistentManagerBase) getManager()).removeSuper(session);
        metrics.evictions.increment();
    }

    /**
     * Drop idle local copies (flushed first if dirty) well before Tomcat would time them out here, since another node
     * may be keeping them alive. Runs on the container's background thread.
     */
    void evictIdleLocalCopies() {
        if (!getState().isAvailable()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Session s : getManager().findSessions()) {
            if (s instanceof StandardSession session && session.isValid() && isLocallyIdle(session, now)
                    && flush(session, true, false) != FlushResult.FAILED) {
                evict(session);
            }
        }
    }

    /**
     * Background expiry: drop idle local copies, then claim expired records in bounded batches. Only the expired
     * records are read; each is claimed by an atomic delete so exactly one node fires its listeners.
     */
    @Override
    public void processExpires() {
        if (!getState().isAvailable()) {
            return;
        }
        evictIdleLocalCopies();
        SessionBackend b = backend;
        if (b == null || !b.canList() || breaker.isOpen()) {
            return;
        }
        for (int batch = 0; batch < MAX_SWEEP_BATCHES; batch++) {
            long now = System.currentTimeMillis();
            List<String> keys;
            try {
                keys = call(x -> x.expiredKeys(now, expiryBatchSize));
            } catch (IOException | RuntimeException e) {
                metrics.errors.increment();
                log.warn(strings.getString("store.sweepFailed", namespace, safeMessage(e)));
                return;
            }
            for (String key : keys) {
                expireClaimed(key, now);
            }
            if (keys.size() < expiryBatchSize) {
                return;
            }
        }
    }

    private void expireClaimed(String key, long now) {
        StoredSession claimed;
        try {
            claimed = call(b -> b.claimExpired(key, now));
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            warnLimited("store.sweepFailed", namespace, safeMessage(e));
            return;
        }
        if (claimed == null) {
            return; // another node won, or it was touched meanwhile
        }
        metrics.expired.increment();
        StandardSession session = claimed.data() == null ? null : decode(key, key, claimed.data());
        if (session == null) {
            return;
        }
        SWEEPING.set(this);
        try {
            session.expire(true);
        } catch (RuntimeException e) {
            log.warn(strings.getString("store.expireFailed", key, namespace, safeMessage(e)));
        } finally {
            SWEEPING.remove();
        }
    }

    // ------------------------------------------------------------------ JMX

    private void registerMBean(Context context) {
        try {
            String domain = context.getDomain() == null ? "Catalina" : context.getDomain();
            String host = context.getParent() == null ? "localhost" : context.getParent().getName();
            String path = context.getName() == null || context.getName().isEmpty() ? "/" : context.getName();
            ObjectName name = new ObjectName(domain + ":type=SessionStore,host=" + ObjectName.quote(host)
                    + ",context=" + ObjectName.quote(path));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
            objectName = name;
        } catch (Exception e) {
            log.warn(strings.getString("store.jmxFailed", namespace, e.toString()));
        }
    }

    private void unregisterMBean() {
        if (objectName != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
            } catch (Exception ignore) {
                // already gone
            }
            objectName = null;
        }
    }

    /** The registered MBean name, or {@code null}. */
    public ObjectName getObjectName() {
        return objectName;
    }

    @Override
    public String getBackend() {
        SessionBackend b = backend;
        return b == null ? "unavailable" : b.describe();
    }

    @Override
    public boolean isBackendAvailable() {
        return backend != null && !breaker.isOpen();
    }

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
    public int getUnflushedSessions() {
        return unflushed.size();
    }

    @Override
    public int getPendingDeletes() {
        return pendingDeletes.size();
    }

    @Override
    public boolean isCircuitOpen() {
        return breaker.isOpen();
    }

    @Override
    public int getAsyncQueueDepth() {
        AsyncFlusher f = asyncFlusher;
        return f == null ? 0 : f.depth();
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

    @Override
    public String toString() {
        return getStoreName() + "[" + namespace + ", " + getBackend() + "]";
    }
}
