package io.github.sessionstore.core;

import java.util.Locale;

/** When a changed session reaches the store. */
enum FlushPolicy {
    /** Synchronously at the end of the request that used it (default). */
    WRITE_THROUGH("write-through"),
    /** Encoded at the end of the request, written by a background thread through a bounded queue. */
    ASYNC("async"),
    /** Only when Tomcat's PersistentManager swaps or backs sessions up (its own behaviour). */
    IDLE("idle");

    final String attributeValue;

    FlushPolicy(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /** The value named, or {@code null} when it names none. */
    static FlushPolicy parse(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (FlushPolicy p : values()) {
                if (p.attributeValue.equals(v)) {
                    return p;
                }
            }
        }
        return null;
    }
}
