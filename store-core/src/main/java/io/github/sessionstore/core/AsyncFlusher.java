package io.github.sessionstore.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

/**
 * The {@code async} flush policy: one writer thread and a bounded queue in which the newest version of a session
 * replaces an older pending one. When the queue is full the caller writes synchronously, so nothing is dropped.
 */
final class AsyncFlusher {

    private static final Log log = LogFactory.getLog(AsyncFlusher.class);

    interface Writer {
        void write(String key, StoredSession record) throws Exception;
    }

    private final Map<String, StoredSession> pending = new LinkedHashMap<>();
    private final int capacity;
    private final Writer writer;
    private final Thread thread;
    private volatile boolean running = true;
    /** The key being written now: still pending until the store has it. Guarded by {@code pending}. */
    private String inFlight;

    AsyncFlusher(String name, int capacity, Writer writer) {
        this.capacity = capacity;
        this.writer = writer;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.setContextClassLoader(AsyncFlusher.class.getClassLoader());
        this.thread.start();
    }

    /** @return {@code false} when the queue is full and the caller must write itself */
    boolean offer(String key, StoredSession record) {
        synchronized (pending) {
            if (!running || (pending.size() >= capacity && !pending.containsKey(key))) {
                return false;
            }
            pending.remove(key);
            pending.put(key, record);
            pending.notifyAll();
            return true;
        }
    }

    boolean isPending(String key) {
        synchronized (pending) {
            return pending.containsKey(key) || key.equals(inFlight);
        }
    }

    int depth() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private void run() {
        long backoffMillis = 0;
        while (true) {
            String key;
            StoredSession record;
            synchronized (pending) {
                while (pending.isEmpty() && running) {
                    try {
                        pending.wait(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                Iterator<Map.Entry<String, StoredSession>> it = pending.entrySet().iterator();
                Map.Entry<String, StoredSession> e = it.next();
                key = e.getKey();
                record = e.getValue();
                it.remove();
                inFlight = key;
            }
            try {
                writer.write(key, record);
                backoffMillis = 0;
                synchronized (pending) {
                    inFlight = null;
                }
            } catch (Exception e) {
                // Keep it unless a newer version arrived meanwhile; back off so a dead store is not hammered
                synchronized (pending) {
                    pending.putIfAbsent(key, record);
                    inFlight = null;
                }
                backoffMillis = Math.min(2000, Math.max(50, backoffMillis * 2));
                if (!running) {
                    return;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stop accepting, give the writer up to {@code timeoutMillis} to drain, and report what was left. */
    int stop(long timeoutMillis) {
        synchronized (pending) {
            running = false;
            pending.notifyAll();
        }
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        int left = depth();
        if (left > 0) {
            log.warn(Messages.text("store.asyncQueueLeft", Integer.toString(left)));
        }
        return left;
    }

}
