package io.github.sessionstore.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.catalina.Context;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionStoreMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The store's statistics ({@link SessionStoreMXBean}) as Micrometer meters, under the names docs/metrics.md gives
 * the JMX exporter's series: {@code sessionstore.loads} is exported to Prometheus as {@code sessionstore_loads_total},
 * {@code sessionstore.circuit.open} as {@code sessionstore_circuit_open}, the latencies as
 * {@code sessionstore.load.latency} with a {@code quantile} tag, in seconds. Tagged {@code host} and {@code context}
 * like the JMX series. Every meter reads the MXBean when it is read; {@code StoredSessions} (one backend call per
 * read) is left out, as with the exporter.
 */
public class SessionStoreMeterBinder implements MeterBinder {

    /** Counter name (without the prefix) → its MXBean attribute. */
    static final Map<String, ToDoubleFunction<SessionStoreMXBean>> COUNTERS = new LinkedHashMap<>();
    /** Gauge name (without the prefix) → its MXBean attribute. */
    static final Map<String, ToDoubleFunction<SessionStoreMXBean>> GAUGES = new LinkedHashMap<>();
    /** Latency name → p50 and p99 in microseconds. */
    static final Map<String, List<ToDoubleFunction<SessionStoreMXBean>>> LATENCIES = new LinkedHashMap<>();

    static {
        COUNTERS.put("loads", SessionStoreMXBean::getLoads);
        COUNTERS.put("misses", SessionStoreMXBean::getMisses);
        COUNTERS.put("saves", SessionStoreMXBean::getSaves);
        COUNTERS.put("touches", SessionStoreMXBean::getTouches);
        COUNTERS.put("skipped.writes", SessionStoreMXBean::getSkippedWrites);
        COUNTERS.put("removes", SessionStoreMXBean::getRemoves);
        COUNTERS.put("errors", SessionStoreMXBean::getErrors);
        COUNTERS.put("fast.fails", SessionStoreMXBean::getFastFails);
        COUNTERS.put("rejected.ids", SessionStoreMXBean::getRejectedIds);
        COUNTERS.put("corrupt.records", SessionStoreMXBean::getCorruptRecords);
        COUNTERS.put("dropped.attributes", SessionStoreMXBean::getDroppedAttributes);
        COUNTERS.put("unauthenticated.records", SessionStoreMXBean::getUnauthenticatedRecords);
        COUNTERS.put("oversize.sessions", SessionStoreMXBean::getOversizeSessions);
        COUNTERS.put("evictions", SessionStoreMXBean::getEvictions);
        COUNTERS.put("stale.evictions", SessionStoreMXBean::getStaleEvictions);
        COUNTERS.put("expired.sessions", SessionStoreMXBean::getExpiredSessions);
        COUNTERS.put("async.fallbacks", SessionStoreMXBean::getAsyncFallbacks);
        COUNTERS.put("unflushed.overflow", SessionStoreMXBean::getUnflushedOverflow);
        COUNTERS.put("version.conflicts", SessionStoreMXBean::getVersionConflicts);
        COUNTERS.put("attribute.conflicts", SessionStoreMXBean::getAttributeConflicts);
        COUNTERS.put("lock.waits", SessionStoreMXBean::getLockWaits);
        COUNTERS.put("lock.timeouts", SessionStoreMXBean::getLockTimeouts);
        GAUGES.put("circuit.open", s -> s.isCircuitOpen() ? 1 : 0);
        GAUGES.put("backend.available", s -> s.isBackendAvailable() ? 1 : 0);
        GAUGES.put("unflushed.sessions", SessionStoreMXBean::getUnflushedSessions);
        GAUGES.put("max.unflushed", SessionStoreMXBean::getMaxUnflushed);
        GAUGES.put("pending.deletes", SessionStoreMXBean::getPendingDeletes);
        GAUGES.put("async.queue.depth", SessionStoreMXBean::getAsyncQueueDepth);
        GAUGES.put("async.queue.size", SessionStoreMXBean::getAsyncQueueSize);
        LATENCIES.put("load.latency", List.of(SessionStoreMXBean::getLoadLatencyP50,
                SessionStoreMXBean::getLoadLatencyP99));
        LATENCIES.put("save.latency", List.of(SessionStoreMXBean::getSaveLatencyP50,
                SessionStoreMXBean::getSaveLatencyP99));
        LATENCIES.put("touch.latency", List.of(SessionStoreMXBean::getTouchLatencyP50,
                SessionStoreMXBean::getTouchLatencyP99));
    }

    private final SessionStoreInstaller installer;

    SessionStoreMeterBinder(SessionStoreInstaller installer) {
        this.installer = installer;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        AbstractSessionStore store = installer.sessionStore();
        if (store == null) {
            return; // a Store of another project: no statistics
        }
        Tags tags = tags(installer.context());
        // read through the store each time: its MXBean is replaced when the context restarts
        COUNTERS.forEach((name, f) -> FunctionCounter.builder("sessionstore." + name, store, read(f))
                .tags(tags).register(registry));
        GAUGES.forEach((name, f) -> Gauge.builder("sessionstore." + name, store, read(f))
                .tags(tags).register(registry));
        LATENCIES.forEach((name, p) -> {
            String[] quantiles = {"0.5", "0.99"};
            for (int i = 0; i < p.size(); i++) {
                ToDoubleFunction<SessionStoreMXBean> micros = p.get(i);
                Gauge.builder("sessionstore." + name, store, read(s -> micros.applyAsDouble(s) / 1_000_000.0))
                        .tags(tags).tag("quantile", quantiles[i]).baseUnit("seconds").register(registry);
            }
        });
    }

    private static ToDoubleFunction<AbstractSessionStore> read(ToDoubleFunction<SessionStoreMXBean> f) {
        return store -> {
            SessionStoreMXBean s = store.statistics();
            return s == null ? Double.NaN : f.applyAsDouble(s);
        };
    }

    private static Tags tags(Context context) {
        String host = context == null || context.getParent() == null ? "localhost" : context.getParent().getName();
        String path = context == null || context.getName() == null || context.getName().isEmpty() ? "/"
                : context.getName();
        return Tags.of("host", host, "context", path);
    }
}
