package io.github.sessionstore.core.testkit;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh random AES-256 key material for {@code encryptionKeys}, new on each call, so its text can be searched for. */
public final class TestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    /** 32 random bytes in Base64. */
    public static String material() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** {@code id:material}, one entry of {@code encryptionKeys}. */
    public static String entry(String id) {
        return id + ":" + material();
    }
}
