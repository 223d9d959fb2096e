package io.github.sessionstore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store over process memory: the reference implementation of the {@link SessionBackend} contract, so that the
 * policy in store-core is tested without a server. Instances given the same {@link Shared} are nodes of one fleet.
 * Test use only: it is not a product backend.
 */
public final class MemoryStore extends AbstractSessionStore {

    /** The "server": records and locks per namespace. */
    public static final class Shared {
        final Map<String, MemoryBackend> namespaces = new ConcurrentHashMap<>();
    }

    private final Shared shared;
    private final boolean indexesPrincipals;

    public MemoryStore(Shared shared) {
        this(shared, true);
    }

    /** @param indexesPrincipals {@code false}: a backend without the principal index, as memcached is */
    public MemoryStore(Shared shared, boolean indexesPrincipals) {
        this.shared = shared;
        this.indexesPrincipals = indexesPrincipals;
    }

    @Override
    protected SessionBackend openBackend(String namespace) {
        return new Handle(shared.namespaces.computeIfAbsent(namespace, n -> new MemoryBackend()), indexesPrincipals,
                new ReadBound(getMaxSessionSize(), "memory", MemoryStore.class));
    }

    /** Each node's connection: closing it must not drop the shared data. Reads are bounded as a backend's must be. */
    private record Handle(MemoryBackend data, boolean indexesPrincipals, ReadBound bound) implements SessionBackend.Listing {
        @Override
        public StoredSession load(String key) {
            return bounded(key, data.load(key));
        }

        private StoredSession bounded(String key, StoredSession s) {
            return s == null || bound.admits(s.data().length) ? s : bound.refused(key, s.data().length, s, false);
        }

        @Override
        public void save(String key, StoredSession session) {
            data.save(key, session);
        }

        @Override
        public boolean saveIfVersion(String key, StoredSession session, long expectedVersion) {
            return data.saveIfVersion(key, session, expectedVersion);
        }

        @Override
        public boolean tryLock(String key, String owner, long leaseMillis) {
            return data.tryLock(key, owner, leaseMillis);
        }

        @Override
        public void unlock(String key, String owner) {
            data.unlock(key, owner);
        }

        @Override
        public boolean touch(String key, long lastAccessed, long expiresAt) {
            return data.touch(key, lastAccessed, expiresAt);
        }

        @Override
        public boolean delete(String key) {
            return data.delete(key);
        }

        @Override
        public StoredSession claimExpired(String key, long now) {
            return bounded(key, data.claimExpired(key, now));
        }

        @Override
        public List<String> expiredKeys(long now, int limit) {
            return data.expiredKeys(now, limit);
        }

        @Override
        public int size() {
            return data.size();
        }

        @Override
        public List<String> keys() {
            return data.keys();
        }

        @Override
        public List<String> keysOfPrincipal(String principal, int limit) throws java.io.IOException {
            if (!indexesPrincipals) {
                return SessionBackend.Listing.super.keysOfPrincipal(principal, limit);
            }
            return data.keysOfPrincipal(principal, limit);
        }

        @Override
        public void clear() {
            data.clear();
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public void close() {
        }
    }

    /** Records, the principal index and leases under one monitor: every operation is trivially atomic. */
    static final class MemoryBackend {
        private final Map<String, StoredSession> records = new java.util.HashMap<>();
        private final Map<String, java.util.Set<String>> byPrincipal = new java.util.HashMap<>();
        private final Map<String, String[]> locks = new java.util.HashMap<>(); // key -> {owner, leaseUntil}

        synchronized StoredSession load(String key) {
            return records.get(key);
        }

        synchronized void save(String key, StoredSession session) {
            put(key, session);
        }

        /** Every record write: the index follows the record's principal. */
        private void put(String key, StoredSession session) {
            unindex(key, records.put(key, session));
            if (session.principal() != null) {
                byPrincipal.computeIfAbsent(session.principal(), p -> new java.util.LinkedHashSet<>()).add(key);
            }
        }

        private StoredSession remove(String key) {
            StoredSession old = records.remove(key);
            unindex(key, old);
            return old;
        }

        private void unindex(String key, StoredSession old) {
            if (old != null && old.principal() != null) {
                java.util.Set<String> keys = byPrincipal.get(old.principal());
                keys.remove(key);
                if (keys.isEmpty()) {
                    byPrincipal.remove(old.principal());
                }
            }
        }

        synchronized List<String> keysOfPrincipal(String principal, int limit) {
            return byPrincipal.getOrDefault(principal, java.util.Set.of()).stream().limit(limit).toList();
        }

        synchronized boolean saveIfVersion(String key, StoredSession session, long expectedVersion) {
            StoredSession current = records.get(key);
            long version = current == null ? 0 : current.version();
            if (version != expectedVersion) {
                return false;
            }
            put(key, session);
            return true;
        }

        synchronized boolean tryLock(String key, String owner, long leaseMillis) {
            long now = System.currentTimeMillis();
            String[] held = locks.get(key);
            if (held != null && !held[0].equals(owner) && Long.parseLong(held[1]) > now) {
                return false;
            }
            locks.put(key, new String[] { owner, Long.toString(now + leaseMillis) });
            return true;
        }

        synchronized void unlock(String key, String owner) {
            String[] held = locks.get(key);
            if (held != null && held[0].equals(owner)) {
                locks.remove(key);
            }
        }

        synchronized boolean touch(String key, long lastAccessed, long expiresAt) {
            StoredSession s = records.get(key);
            if (s == null) {
                return false;
            }
            if (expiresAt > s.expiresAt()) {
                records.put(key, new StoredSession(s.data(), s.version(), lastAccessed, s.maxInactive(), expiresAt,
                        s.principal()));
            }
            return true;
        }

        synchronized boolean delete(String key) {
            return remove(key) != null;
        }

        synchronized StoredSession claimExpired(String key, long now) {
            StoredSession s = records.get(key);
            if (s == null || !s.isExpired(now)) {
                return null;
            }
            remove(key);
            return s;
        }

        synchronized List<String> expiredKeys(long now, int limit) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, StoredSession> e : records.entrySet()) {
                if (out.size() >= limit) {
                    break;
                }
                if (e.getValue().isExpired(now)) {
                    out.add(e.getKey());
                }
            }
            return out;
        }

        synchronized int size() {
            return records.size();
        }

        synchronized List<String> keys() {
            return new ArrayList<>(records.keySet());
        }

        synchronized void clear() {
            records.clear();
            byPrincipal.clear();
            locks.clear();
        }
    }
}
