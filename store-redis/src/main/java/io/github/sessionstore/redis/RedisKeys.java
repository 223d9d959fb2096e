package io.github.sessionstore.redis;

/**
 * The key layout of one namespace. Every key of a namespace starts with the same hash tag, so that in Redis Cluster
 * the records, the expiry index and the locks of one webapp share one slot and each script can touch a record and
 * its index entry atomically:
 *
 * <pre>
 * &lt;keyPrefix&gt;{&lt;namespace&gt;}:s:&lt;key&gt;   hash: d (payload), v (version), a (last access), m (max inactive s), e (expiry),
 *                                    p (principal, only when the session has one)
 * &lt;keyPrefix&gt;{&lt;namespace&gt;}:p:&lt;sha1&gt;  set: the keys of one principal; sha1 = SHA-1 hex of its UTF-8 name
 * &lt;keyPrefix&gt;{&lt;namespace&gt;}:x         sorted set: member &lt;key&gt;, score its expiry (epoch millis)
 * &lt;keyPrefix&gt;{&lt;namespace&gt;}:l:&lt;key&gt;   string: the lock owner, with the lease as its PX expiry
 * </pre>
 *
 * The namespace is host + context path; any {@code {}, {@code }} or {@code %} in it is percent-encoded, so the tag
 * always spans exactly the namespace. The key prefix may not contain braces (checked by the store).
 */
final class RedisKeys {

    private final String base;
    final String index;
    /** A SCAN pattern matching every key of the namespace and nothing else. */
    final String pattern;

    RedisKeys(String keyPrefix, String namespace) {
        this.base = keyPrefix + "{" + encode(namespace) + "}:";
        this.index = base + "x";
        this.pattern = globEscape(base) + "*";
    }

    String record(String key) {
        return base + "s:" + key;
    }

    /**
     * The set of one principal's keys. The name is hashed, never used raw: principal names are untrusted and may
     * hold braces, glob characters or control bytes; the scripts derive the same name with {@code redis.sha1hex}.
     */
    String principalSet(String principal) {
        return base + "p:" + Script.sha1(principal);
    }

    String lock(String key) {
        return base + "l:" + key;
    }

    /** The hash tag: every key of the namespace hashes to the slot of this string. */
    String tag() {
        return base.substring(base.indexOf('{') + 1, base.lastIndexOf('}'));
    }

    static String encode(String namespace) {
        StringBuilder sb = new StringBuilder(namespace.length() + 8);
        for (int i = 0; i < namespace.length(); i++) {
            char c = namespace.charAt(i);
            switch (c) {
                case '%' -> sb.append("%25");
                case '{' -> sb.append("%7B");
                case '}' -> sb.append("%7D");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String globEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
