package io.github.sessionstore.core;

/**
 * Text that came from stored bytes or a request (a class name, an exception message that quotes one, a session id),
 * made fit for one log line: printable ASCII only, so a planted name cannot forge lines or escape sequences, and
 * bounded.
 */
final class StoredText {

    static final int MAX_CHARS = 200;

    private StoredText() {
    }

    static String forLog(String text) {
        return forLog(text, MAX_CHARS);
    }

    /** {@code text} as printable ASCII, at most {@code maxChars} of it and then its length. */
    static String forLog(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), maxChars);
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > maxChars) {
            sb.append("...(").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }
}
