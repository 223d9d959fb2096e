package io.github.sessionstore.core;

import java.util.Locale;

/** What protects a session that two nodes change at the same time (non-sticky load balancing). */
enum LockingMode {
    /** Last write wins: no extra cost, but one of two concurrent requests can lose its changes. */
    NONE("none"),
    /**
     * Writes are a compare-and-set on the version this node read. On a conflict the newer stored state is loaded, the
     * attributes this request changed are applied to it, and the write is retried. Free when there is no conflict.
     */
    OPTIMISTIC("optimistic"),
    /**
     * A cross-node lock per session, taken before the request (bounded wait) and released after its flush, on top of
     * the optimistic write. Requests of one session run one at a time across the fleet, at two round trips a request.
     */
    PESSIMISTIC("pessimistic");

    final String attributeValue;

    LockingMode(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /** The value named, or {@code null} when it names none. */
    static LockingMode parse(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (LockingMode m : values()) {
                if (m.attributeValue.equals(v)) {
                    return m;
                }
            }
        }
        return null;
    }
}
