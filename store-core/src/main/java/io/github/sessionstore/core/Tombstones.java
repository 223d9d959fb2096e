package io.github.sessionstore.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an invalidation leaves behind where records are sealed ({@code encryptionKeys}): a tombstone, a sealed record
 * of its own under a key no session can have (it holds a {@code .}, which a storage key never does), dated by a
 * version above the deleted record's and kept until every record of the session sealed before it has expired by its
 * own sealed expiry. A record written back from before the invalidation (a replay) is older than the tombstone and is
 * refused while the tombstone lasts; after that its sealed expiry has passed, and {@link AesGcmSeal} refuses it. So an
 * invalidation holds against replay for good. Without keys there are none ({@link #NONE}): an unsealed record can be
 * forged outright, and the README says so.
 */
interface Tombstones {

    /** Before the record of {@code key} is deleted: leave its tombstone. */
    void bury(SessionBackend backend, String key) throws IOException;

    /** Whether the live {@code record} of {@code key} was written before a tombstone that still stands (a replay). */
    boolean buries(SessionBackend backend, String key, StoredSession record) throws IOException;

    /** Whether a key the backend lists is a tombstone's, not a session's. */
    static boolean isTombstone(String key) {
        return key.indexOf('.') >= 0;
    }

    /** The key of the tombstone of {@code key}: a suffix where the key column holds it, else a digest. */
    static String keyOf(String key) {
        if (key.length() <= SessionKeys.MAX_ID_LENGTH - 2) {
            return key + ".t";
        }
        byte[] digest = Bytes.sha256().digest(key.getBytes(StandardCharsets.UTF_8));
        return "t." + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    Tombstones NONE = new Tombstones() {
        @Override
        public void bury(SessionBackend backend, String key) {
        }

        @Override
        public boolean buries(SessionBackend backend, String key, StoredSession record) {
            return false;
        }
    };

    /** Sealed tombstones, under the store's {@link RecordSeal} (which binds each to its version and expiry). */
    static Tombstones sealed(RecordSeal seal, ExpiryPolicy expiry) {
        return new Sealed(seal, expiry);
    }

    final class Sealed implements Tombstones {

        /** A tombstone's plaintext: no codec header, so nothing ever reads it as a session. */
        private static final byte[] MARKER = { 'S', 'S', 'T', 'T' };

        private final RecordSeal seal;
        private final ExpiryPolicy expiry;

        private Sealed(RecordSeal seal, ExpiryPolicy expiry) {
            this.seal = seal;
            this.expiry = expiry;
        }

        @Override
        public void bury(SessionBackend backend, String key) throws IOException {
            StoredSession record = backend.stat(key);
            if (record == null) {
                return; // gone already: deleted (and buried) elsewhere, or expired by its own sealed expiry
            }
            long now = System.currentTimeMillis();
            int maxInactive = record.maxInactive();
            // Until the latest record sealed before it has expired, and a full timeout at least
            long until = maxInactive <= 0 ? StoredSession.NEVER
                    : Math.max(record.expiresAt(), expiry.expiresAt(now, maxInactive));
            long version = WriteStrategy.nextVersion(record.version());
            String tomb = keyOf(key);
            backend.save(tomb, new StoredSession(seal.seal(MARKER, tomb, version, until), version, now, maxInactive,
                    until));
        }

        @Override
        public boolean buries(SessionBackend backend, String key, StoredSession record) throws IOException {
            String tomb = keyOf(key);
            StoredSession t = backend.load(tomb);
            long now = System.currentTimeMillis();
            if (t == null || t.isExpired(now) || t.data() == null || t.version() <= record.version()) {
                return false;
            }
            try {
                // Only a tombstone the fleet sealed counts: a planted one would let a writer end sessions, which it
                // can anyway by deleting them, but it must not make the store read one way or the other by chance
                return Bytes.startsWith(seal.open(t.data(), tomb, t.version(), now), MARKER, MARKER.length);
            } catch (RecordSeal.Refused e) {
                return false;
            }
        }
    }
}
