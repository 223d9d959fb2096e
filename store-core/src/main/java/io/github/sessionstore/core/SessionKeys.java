package io.github.sessionstore.core;

/**
 * Session ids arrive from cookies and URLs: untrusted input (CVE-2020-9484 turned a FileStore path traversal into
 * deserialization). Every id is checked here before any backend sees it, and reduced to a storage key without its
 * {@code jvmRoute} suffix so that another node finds the session after failover.
 */
final class SessionKeys {

    /** Longest id accepted, route included. Tomcat's default ids are 32 characters. */
    static final int MAX_ID_LENGTH = 160;
    private static final int MAX_ROUTE_LENGTH = 64;

    private SessionKeys() {
    }

    /**
     * @return the storage key for {@code id}, or {@code null} when the id is not acceptable: empty, too long, or with a
     *             character outside {@code [A-Za-z0-9_-]} (plus one {@code .} before a route)
     */
    static String storageKey(String id) {
        if (id == null) {
            return null;
        }
        int len = id.length();
        if (len == 0 || len > MAX_ID_LENGTH) {
            return null;
        }
        int dot = -1;
        for (int i = 0; i < len; i++) {
            char c = id.charAt(i);
            if (c == '.') {
                if (dot >= 0) {
                    return null;
                }
                dot = i;
            } else if (!isKeyChar(c)) {
                return null;
            }
        }
        if (dot < 0) {
            return id;
        }
        if (dot == 0 || dot == len - 1 || len - dot - 1 > MAX_ROUTE_LENGTH) {
            return null;
        }
        return id.substring(0, dot);
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** A printable, bounded rendering of an untrusted id for log lines. */
    static String forLog(String id) {
        return StoredText.forLog(id, 64);
    }
}
