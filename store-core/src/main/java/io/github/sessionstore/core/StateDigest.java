package io.github.sessionstore.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A session's application state as change detection compares it: the digest of its shell without the times and
 * flags (which change on every request) and with the timeout, then each stored attribute's name and the digest of its
 * serialized value, in name order. Two equal states give equal digests on one node. A value known from the last
 * flush ({@link KnownValues}) brings the very digest array it had then, so comparing an unchanged session costs a
 * reference check per attribute.
 */
final class StateDigest {

    private final byte[] shell;
    private final String[] names;
    private final byte[][] values;

    /** {@code names} and {@code values} are the draft's, trimmed to its stored attributes; neither is copied. */
    StateDigest(byte[] shell, String[] names, byte[][] values) {
        this.shell = shell;
        this.names = names;
        this.values = values;
    }

    /** Digest of each stored attribute's serialized value: what the optimistic write's merge compares. */
    Map<String, byte[]> attributes() {
        Map<String, byte[]> out = new HashMap<>((int) (names.length / 0.75f) + 1);
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], values[i]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateDigest other) || names.length != other.names.length
                || !Arrays.equals(shell, other.shell)) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equals(other.names[i])
                    || values[i] != other.values[i] && !Arrays.equals(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shell);
    }
}
