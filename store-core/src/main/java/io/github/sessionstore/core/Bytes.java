package io.github.sessionstore.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Byte-level checks shared by the core and the backend modules: the one place that tests a stored value's magic
 * prefix and that obtains a SHA-256 digest.
 */
public final class Bytes {

    /**
     * A fresh digest to copy: every flush digests the session, and a provider lookup per call cost about half of what
     * hashing a 2 KB session costs (profile of a node under the HTTP benchmark).
     */
    private static final MessageDigest SHA_256 = lookUpSha256();

    private Bytes() {
    }

    /** Whether {@code data} is at least {@code minLength} bytes long and starts with {@code prefix}. */
    public static boolean startsWith(byte[] data, byte[] prefix, int minLength) {
        if (data == null || data.length < Math.max(minLength, prefix.length)) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A new SHA-256 digest (every JDK has it), in its initial state. */
    public static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return lookUpSha256(); // a provider whose digest cannot be copied
        }
    }

    private static MessageDigest lookUpSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
