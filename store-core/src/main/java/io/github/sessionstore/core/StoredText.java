package io.github.sessionstore.core;

/**
 * Text that came from stored bytes (a class name, an exception message that quotes one), made fit for one log line:
 * printable ASCII only, so a planted name cannot forge lines or escape sequences, and bounded.
 */
final class StoredText {

    static final int MAX_CHARS = 200;

    private StoredText() {
    }

    static String forLog(String text) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), MAX_CHARS);
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > MAX_CHARS) {
            sb.append("...(").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }
}
