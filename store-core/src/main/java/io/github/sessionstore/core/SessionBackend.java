package io.github.sessionstore.core;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The storage primitives a backend supplies, and nothing else. The policy lives in store-core, one part per job, wired
 * together by {@link AbstractSessionStore}: when to write and dirty detection ({@link SessionWriter}), id checks
 * ({@link SessionKeys}), the codec ({@link SessionCodec}), expiry claims ({@link Sweeper}), the locking modes
 * ({@link SessionLocks}, {@link WriteStrategy}), retries and the circuit breaker ({@link RetryQueue},
 * {@link BackendGuard}), metrics ({@link StoreMetrics}); store-core's README lists every part.
 * <p>
 * A backend serves one namespace (one host + context); keys are already validated and normalized by the core, so a
 * backend may use them as file names or document ids without further checks. Implementations must be thread-safe and
 * must bound every call by the store's operation timeout.
 * <p>
 * What every backend implements is ten primitives: {@link #load}, {@link #save}, {@link #saveIfVersion},
 * {@link #touch}, {@link #delete}, {@link #claimExpired}, {@link #tryLock}, {@link #unlock}, {@link #clear} and
 * {@link #describe}. The rest is optional: {@link #stat} (a cheaper metadata read; defaults to {@link #load}),
 * {@link #housekeep} (cleaning beside expiry), the principal index ({@link #indexesPrincipals},
 * {@link #keysOfPrincipal}), and {@link Listing} for a backend that can list its records (the sweep and the operator's
 * views need it; memcached cannot). Lock owners and leases, expiry arithmetic, retries and the schedule of every
 * periodic call are the core's.
 */
public interface SessionBackend extends Closeable {

    /** The record under {@code key}, expired or not, or {@code null}. */
    StoredSession load(String key) throws IOException;

    /**
     * The record's metadata without its payload, or {@code null}: the per-request version check of a local copy and
     * the backup touch read it, so it should cost far less than {@link #load}.
     */
    default StoredSession stat(String key) throws IOException {
        StoredSession s = load(key);
        return s == null ? null : s.withoutData();
    }

    /** Insert or replace the record in one atomic write. */
    void save(String key, StoredSession session) throws IOException;

    /**
     * Compare-and-set write for both locking modes: store the record only if the stored record's version is
     * {@code expectedVersion}, or, when {@code expectedVersion} is 0, only if there is no record. The check and the
     * write are one atomic step across nodes. An expired record that has not been claimed yet still counts as there.
     *
     * @return {@code false} when the stored version differed; nothing was written then
     */
    boolean saveIfVersion(String key, StoredSession session, long expectedVersion) throws IOException;

    /**
     * Try once, without waiting, to take the cross-node lock of one session for the pessimistic locking mode. The
     * lock is a lease: it lapses after {@code leaseMillis}, so a node that dies holding it blocks the session for that
     * long at most. Taking a lock {@code owner} already holds succeeds and renews the lease. No record needs to exist,
     * and lock entries never show in a {@link Listing}.
     *
     * @param owner a token unique to this acquisition (node and request), never empty; only it can release the lock
     * @param leaseMillis 1 000 to 3 600 000 (the core's {@code lockLease}, checked at start), so {@code now +
     *            leaseMillis} cannot overflow: a backend checks neither argument
     * @return whether {@code owner} now holds the lock
     */
    boolean tryLock(String key, String owner, long leaseMillis) throws IOException;

    /** Release the lock of {@code key} if {@code owner} still holds it; a lapsed or foreign lock is left alone. */
    void unlock(String key, String owner) throws IOException;

    /**
     * Refresh the expiry of an existing record without rewriting its payload.
     *
     * @return {@code false} when there is no record (it was invalidated or claimed elsewhere); never creates one
     */
    boolean touch(String key, long lastAccessed, long expiresAt) throws IOException;

    /** Delete the record. @return whether one was there */
    boolean delete(String key) throws IOException;

    /**
     * Atomically delete the record if it has expired at {@code now} and return what was deleted, so that among several
     * nodes exactly one wins the claim. Returns {@code null} if there was no record or it was not expired.
     */
    StoredSession claimExpired(String key, long now) throws IOException;

    /**
     * Housekeeping beside expiry: removing what nodes that died left behind (temporary files, lapsed leases) and stale
     * index entries. The core calls it once per expiry sweep, on the background thread, after the sweep's claims; a
     * failure is logged and counted, and tried again at the next sweep. The default does nothing.
     */
    default void housekeep(long now) throws IOException {
    }

    /**
     * Whether the backend keeps {@link StoredSession#principal()} with each record and can find the records of one
     * principal ({@link #keysOfPrincipal}). Backends that cannot return {@code false}, and the store says so at
     * start when a principal would be indexed.
     */
    default boolean indexesPrincipals() {
        return false;
    }

    /**
     * Up to {@code limit} keys of the records whose principal is {@code principal}, at a cost in proportion to that
     * principal's records (not to the store's size). Only called when {@link #indexesPrincipals()}. The index follows
     * the records: a deleted, claimed or overwritten record (a logout, an id change) no longer shows here.
     */
    default List<String> keysOfPrincipal(String principal, int limit) throws IOException {
        throw new UnsupportedOperationException(describe() + " does not index principals");
    }

    /** Delete every record of this namespace, lock entries included. */
    void clear() throws IOException;

    /** A short description for logs and JMX: backend kind and target, never credentials. */
    String describe();

    /**
     * A backend that can list and count its records: the core's expiry sweep, Tomcat's {@code Store.keys()} and
     * {@code getSize()}, and the operator's view of the store use it. A backend that cannot (memcached, whose own TTL
     * ends a session) does not implement it: the sweep then claims nothing, and the listings are empty.
     */
    interface Listing extends SessionBackend {

        /** Up to {@code limit} keys of records expired at {@code now}, found without reading the payloads. */
        List<String> expiredKeys(long now, int limit) throws IOException;

        /** Number of stored records in this namespace. */
        int size() throws IOException;

        /** All keys in this namespace, lock entries excluded. */
        List<String> keys() throws IOException;

        /**
         * Up to {@code limit} keys in ascending order that sort after {@code after} ({@code null}: from the first),
         * for an operator's paged view of the store. The default lists every key; a backend that can page on the
         * server should.
         */
        default List<String> keysAfter(String after, int limit) throws IOException {
            return keys().stream().filter(k -> after == null || k.compareTo(after) > 0).sorted().limit(limit)
                    .toList();
        }

        /** {@code b}'s expired keys ({@link #expiredKeys}); none when it cannot list (its own TTL ends a session). */
        static List<String> expiredKeysOf(SessionBackend b, long now, int limit) throws IOException {
            return b instanceof Listing l ? l.expiredKeys(now, limit) : List.of();
        }

        /** {@code b}'s record count ({@link #size}), or {@code unknown} when it cannot count. */
        static int sizeOf(SessionBackend b, int unknown) throws IOException {
            return b instanceof Listing l ? l.size() : unknown;
        }

        /** {@code b}'s keys ({@link #keys}); none when it cannot list. */
        static List<String> keysOf(SessionBackend b) throws IOException {
            return b instanceof Listing l ? l.keys() : List.of();
        }
    }
}
