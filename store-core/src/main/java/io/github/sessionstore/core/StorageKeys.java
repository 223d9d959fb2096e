package io.github.sessionstore.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key a session's record is stored under, from its id. Without {@code encryptionKeys} it is the checked id
 * without its route ({@link SessionKeys#storageKey}): file names, rows, documents and cache keys name the session.
 * With them ({@link #hashed}) it is a keyed hash of that, so that whoever reads the store or a backup of it finds no
 * session id to present: HMAC-SHA256 under a key derived from the ring's first key, base64url (43 characters, within
 * {@code [A-Za-z0-9_-]} like an id). The id itself travels only inside the sealed record.
 * <p>
 * When the first key changes (rotation), a session's key changes with it: {@link #formerOf} gives the keys it may
 * still be stored under (the other keys of the ring, and the id itself while plain records are allowed), which the
 * reader tries on a miss and moves from ({@link FormerKeys}).
 */
abstract class StorageKeys {

    /** Ids in the clear: no keys configured. */
    static final StorageKeys CLEAR = new StorageKeys() {
        @Override
        String of(String id) {
            return SessionKeys.storageKey(id);
        }

        @Override
        List<String> formerOf(String id) {
            return List.of();
        }

        @Override
        boolean hidesIds() {
            return false;
        }

        @Override
        boolean hasFormerKeys() {
            return false;
        }
    };

    /** The storage key of {@code id}, or {@code null} when the id is not acceptable (see {@link SessionKeys}). */
    abstract String of(String id);

    /** The keys, other than {@link #of}, under which an earlier configuration may have stored {@code id}; in order. */
    abstract List<String> formerOf(String id);

    /** Whether {@link #formerOf} can give any key: more than one distinct key, or plain records allowed. */
    abstract boolean hasFormerKeys();

    /** Whether a storage key is not the session's id: the fleet view and the principal index then read ids from records. */
    abstract boolean hidesIds();

    /** The keys of a store with this ring; {@link #CLEAR} without one. */
    static StorageKeys of(KeyRing ring, boolean allowPlain) {
        return ring == null ? CLEAR : new Hashed(ring, allowPlain);
    }

    static final class Hashed extends StorageKeys {

        /** What each ring key is turned into an id key with, so that no key material is used for two purposes. */
        private static final byte[] PURPOSE = "sessionstore session id v1".getBytes(StandardCharsets.US_ASCII);
        private static final String HMAC = "HmacSHA256";

        /** One initialized HMAC per id key (the first key's first, then the others', without duplicates), cloned per use. */
        private final Mac[] macs;
        private final boolean allowPlain;

        private Hashed(KeyRing ring, boolean allowPlain) {
            List<SecretKey> keys = new ArrayList<>();
            for (String id : ring.ids()) {
                SecretKey derived = derive(ring.get(id));
                if (keys.stream().noneMatch(k -> Arrays.equals(k.getEncoded(), derived.getEncoded()))) {
                    keys.add(derived);
                }
            }
            this.macs = new Mac[keys.size()];
            try {
                for (int i = 0; i < macs.length; i++) {
                    macs[i] = Mac.getInstance(HMAC);
                    macs[i].init(keys.get(i));
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            }
            this.allowPlain = allowPlain;
        }

        private static SecretKey derive(SecretKey ringKey) {
            byte[] material = ringKey.getEncoded();
            try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(new SecretKeySpec(material, HMAC));
                byte[] idKey = mac.doFinal(PURPOSE);
                SecretKey key = new SecretKeySpec(idKey, HMAC);
                Arrays.fill(idKey, (byte) 0);
                return key;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        }

        @Override
        String of(String id) {
            String clear = SessionKeys.storageKey(id);
            return clear == null ? null : hash(0, clear);
        }

        @Override
        List<String> formerOf(String id) {
            String clear = SessionKeys.storageKey(id);
            if (clear == null) {
                return List.of();
            }
            List<String> former = new ArrayList<>(macs.length);
            for (int i = 1; i < macs.length; i++) {
                former.add(hash(i, clear));
            }
            if (allowPlain) {
                former.add(clear); // written before keys were configured
            }
            return former;
        }

        @Override
        boolean hidesIds() {
            return true;
        }

        @Override
        boolean hasFormerKeys() {
            return macs.length > 1 || allowPlain;
        }

        private String hash(int key, String clear) {
            Mac mac;
            try {
                mac = (Mac) macs[key].clone(); // a Mac is not thread-safe; a clone of an initialized one is cheap
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("this JVM's HmacSHA256 cannot be cloned", e);
            }
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(clear.getBytes(StandardCharsets.US_ASCII)));
        }
    }
}
