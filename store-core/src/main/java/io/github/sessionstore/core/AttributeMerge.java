package io.github.sessionstore.core;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.catalina.session.StandardSession;

/**
 * Per-attribute change detection for the optimistic write: which attributes a request changed (through
 * {@code setAttribute} or in place) is told by comparing digests of each attribute's serialized form, taken when the
 * session was read or last written, with digests taken now. On a version conflict only those attributes are applied
 * to the newer stored state.
 */
final class AttributeMerge {

    private AttributeMerge() {
    }

    /**
     * Digest of every attribute stored in {@code encoded} (its frames: each value is serialized once per flush, for
     * the record and its digest alike). Empty when there is no encoding.
     */
    static Map<String, byte[]> digests(SessionCodec.Encoded encoded) {
        return encoded == null ? Map.of() : encoded.digest().attributes();
    }

    /**
     * Rebase {@code local} onto {@code stored}: attributes this node did not change since {@code base} take the stored
     * value (or go, when the stored state no longer has them); the ones it changed keep its value, so they win.
     * Listeners are not notified: the changes are another node's, already notified there.
     *
     * @param base    digests of the state this node's changes started from
     * @param current digests of {@code local} now
     * @param theirs  digests of {@code stored}
     * @return the number of attributes both sides changed (this node's value wins, even where both wrote the same
     *         value: two increments of one counter that meet here are one lost update)
     */
    static int rebase(StandardSession local, Map<String, byte[]> base, Map<String, byte[]> current,
            StandardSession stored, Map<String, byte[]> theirs) {
        Set<String> names = new HashSet<>(theirs.keySet());
        names.addAll(base.keySet());
        names.addAll(current.keySet());
        int conflicts = 0;
        for (String name : names) {
            byte[] b = base.get(name);
            byte[] c = current.get(name);
            byte[] t = theirs.get(name);
            if (!Arrays.equals(b, c)) {
                if (!Arrays.equals(b, t)) {
                    conflicts++;
                }
            } else if (t == null) {
                if (c != null) {
                    local.removeAttribute(name, false);
                }
            } else if (!Arrays.equals(c, t)) {
                local.setAttribute(name, stored.getAttribute(name), false);
            }
        }
        return conflicts;
    }
}
