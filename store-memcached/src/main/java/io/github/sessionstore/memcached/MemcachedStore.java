package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.sessionstore.core.AuthenticatingStore;
import io.github.sessionstore.core.SessionBackend;

/**
 * Sessions in memcached, with a backup copy of each on the next server of the ring, so that losing one memcached
 * server loses no session:
 *
 * <pre>
 * &lt;Manager className="org.apache.catalina.session.PersistentManager"&gt;
 *   &lt;Store className="io.github.sessionstore.memcached.MemcachedStore" servers="mc1:11211 mc2:11211"/&gt;
 * &lt;/Manager&gt;
 * </pre>
 *
 * Expiry is memcached's own TTL: memcached cannot list keys, so {@code getSize()} is 0, {@code keys()} is empty and
 * no {@code sessionDestroyed} listener fires when a session times out in the store (as with
 * memcached-session-manager). {@code username} and {@code password} are SASL credentials (binary protocol only).
 */
public class MemcachedStore extends AuthenticatingStore {

    /** memcached's default item size limit (-I 1m) minus room for the key and item header. */
    static final int DEFAULT_MAX_SESSION_SIZE = 1024 * 1024 - 1024;
    private static final int MAX_PREFIX_LENGTH = 64;

    private List<String> servers = List.of();
    private boolean binary = true;
    private String keyPrefix = "ss:";
    private Boolean backup; // null: automatic

    public MemcachedStore() {
        setMaxSessionSize(DEFAULT_MAX_SESSION_SIZE);
    }

    public String getServers() {
        return String.join(" ", servers);
    }

    /** {@code host:port} of each memcached server, separated by spaces or commas. Required. */
    public void setServers(String servers) {
        if (!settable("servers")) {
            return;
        }
        try {
            this.servers = parseServers(servers);
            accept("servers");
        } catch (IllegalArgumentException e) {
            refuse("servers", e.getMessage()); // parseServers' reasons name an entry by position, not its text
        }
    }

    static List<String> parseServers(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("must list at least one host:port");
        }
        List<String> out = new ArrayList<>();
        int position = 0;
        for (String s : value.trim().split("[\\s,]+")) {
            position++;
            int colon = s.lastIndexOf(':');
            String host = colon > 0 ? s.substring(0, colon) : "";
            if (host.isEmpty() || host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
                throw new IllegalArgumentException("entry " + position + " is not host:port (IPv6 as [addr]:port)");
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("entry " + position + " has no valid port");
            }
            String normalized = host.toLowerCase(Locale.ROOT) + ":" + port;
            if (out.contains(normalized)) {
                throw new IllegalArgumentException("entry " + position + " is listed twice");
            }
            out.add(normalized);
        }
        // The ring depends on the set only, not on the order the nodes list it in
        out.sort(null);
        return List.copyOf(out);
    }

    public String getProtocol() {
        return binary ? "binary" : "text";
    }

    /** {@code binary} (default; needed for SASL) or {@code text}. */
    public void setProtocol(String protocol) {
        if (!settable("protocol")) {
            return;
        }
        String p = protocol == null ? "" : protocol.trim().toLowerCase(Locale.ROOT);
        if (!p.equals("binary") && !p.equals("text")) {
            refuse("protocol", "must be binary or text");
            return;
        }
        accept("protocol");
        this.binary = p.equals("binary");
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    /** Prefix of every item key (default {@code ss:}): printable ASCII without spaces, at most 64 characters. */
    public void setKeyPrefix(String keyPrefix) {
        if (!settable("keyPrefix")) {
            return;
        }
        if (keyPrefix == null || keyPrefix.length() > MAX_PREFIX_LENGTH
                || !keyPrefix.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            refuse("keyPrefix", "must be at most " + MAX_PREFIX_LENGTH + " printable ASCII characters without spaces");
            return;
        }
        accept("keyPrefix");
        this.keyPrefix = keyPrefix;
    }

    /** {@code true}, {@code false}, or empty when automatic (on with 2+ servers). */
    public String getBackup() {
        return backup == null ? "" : backup.toString();
    }

    /**
     * Whether each session is also written to the next server: {@code true}, {@code false}, or empty (default) for
     * automatic: on with 2+ servers. (A {@code String} property: Tomcat's Digester cannot set a {@code Boolean}.)
     */
    public void setBackup(String backup) {
        if (!settable("backup")) {
            return;
        }
        String v = backup == null ? "" : backup.trim().toLowerCase(Locale.ROOT);
        if (!v.isEmpty() && !v.equals("true") && !v.equals("false")) {
            refuse("backup", "must be true, false or empty (automatic)");
            return;
        }
        accept("backup");
        this.backup = v.isEmpty() ? null : Boolean.valueOf(v);
    }

    /** Without servers, or with SASL over the text protocol (which has none), the store does not start. */
    @Override
    protected void validateSettings() {
        if (servers.isEmpty()) {
            refuse("servers", "is required");
        }
        if (username() != null && !binary) {
            refuse("username", "needs protocol=\"binary\" (SASL)");
        }
        if (password() != null && username() == null) {
            refuse("password", "needs username (SASL); alone it would be ignored");
        }
    }

    @Override
    protected SessionBackend openBackend(String namespace) throws IOException {
        boolean withBackup = backup == null ? servers.size() > 1 : backup;
        return new MemcachedBackend(servers, binary, withBackup, keyPrefix, namespace, getOperationTimeout(),
                getMaxSessionSize(), username(), password());
    }
}
