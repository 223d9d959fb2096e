package io.github.sessionstore.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code encryptionKeys} setting, parsed: {@code id:base64} entries of 256-bit AES keys, the first of which seals
 * and all of which open. Nothing here ever renders key material: error messages name the entry's id (or position),
 * and {@link #toString()} lists the ids.
 */
final class KeyRing {

    /** Key ids travel in every record's header and in logs: short and printable. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys; // in configuration order; the first seals
    private final String primaryId;
    private final byte[] primaryIdBytes;

    private KeyRing(Map<String, SecretKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
        this.primaryId = keys.keySet().iterator().next();
        this.primaryIdBytes = primaryId.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @return the ring, or {@code null} for an empty value (no encryption)
     * @throws IllegalArgumentException naming the faulty entry by id or position, never its material
     */
    static KeyRing parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String[] entries = value.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("encryptionKeys entry " + (i + 1)
                        + " has no key id (expected id:base64 of a 256-bit key)");
            }
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("encryptionKeys entry " + (i + 1)
                        + ": a key id is 1 to 32 characters of [A-Za-z0-9_.-]");
            }
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException("encryptionKeys: key id [" + id + "] is listed twice");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                // the decoder's message quotes the offending character: not passed on
                throw new IllegalArgumentException("encryptionKeys: key [" + id + "] is not valid base64");
            }
            if (material.length != KEY_BYTES) {
                throw new IllegalArgumentException("encryptionKeys: key [" + id + "] has " + material.length * 8
                        + " bits; 256 are required");
            }
            keys.put(id, new SecretKeySpec(material, "AES")); // copies it
            Arrays.fill(material, (byte) 0);
        }
        return new KeyRing(keys);
    }

    String primaryId() {
        return primaryId;
    }

    byte[] primaryIdBytes() {
        return primaryIdBytes;
    }

    SecretKey primary() {
        return keys.get(primaryId);
    }

    /** The key with this id, or {@code null}. */
    SecretKey get(String id) {
        return keys.get(id);
    }

    List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    /** The ids, comma-separated, first (sealing) key first. */
    @Override
    public String toString() {
        return String.join(",", keys.keySet());
    }
}
