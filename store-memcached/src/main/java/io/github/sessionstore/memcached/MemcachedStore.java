package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.sessionstore.core.AbstractSessionStore;
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
 * memcached-session-manager).
 */
public class MemcachedStore extends AbstractSessionStore {

    /** memcached's default item size limit (-I 1m) minus room for the key and item header. */
    static final int DEFAULT_MAX_SESSION_SIZE = 1024 * 1024 - 1024;
    private static final int MAX_PREFIX_LENGTH = 64;
    private static final String MASKED = "****";

    private List<String> servers = List.of();
    private boolean binary = true;
    private String keyPrefix = "ss:";
    private Boolean backup;
    private String username;
    private String password;

    public MemcachedStore() {
        setMaxSessionSize(DEFAULT_MAX_SESSION_SIZE);
    }

    public String getServers() {
        return String.join(" ", servers);
    }

    /** {@code host:port} of each memcached server, separated by spaces or commas. Required. */
    public void setServers(String servers) {
        checkNotStarted("servers");
        this.servers = parseServers(servers);
    }

    static List<String> parseServers(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("servers must list at least one host:port");
        }
        List<String> out = new ArrayList<>();
        for (String s : value.trim().split("[\\s,]+")) {
            int colon = s.lastIndexOf(':');
            String host = colon > 0 ? s.substring(0, colon) : "";
            if (host.isEmpty() || host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
                throw new IllegalArgumentException("servers: '" + s + "' is not host:port (IPv6 as [addr]:port)");
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("servers: '" + s + "' has no valid port");
            }
            String normalized = host.toLowerCase(Locale.ROOT) + ":" + port;
            if (out.contains(normalized)) {
                throw new IllegalArgumentException("servers: '" + s + "' is listed twice");
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
        checkNotStarted("protocol");
        String p = protocol == null ? "" : protocol.trim().toLowerCase(Locale.ROOT);
        if (!p.equals("binary") && !p.equals("text")) {
            throw new IllegalArgumentException("protocol must be 'binary' or 'text'; was '" + protocol + "'");
        }
        this.binary = p.equals("binary");
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    /** Prefix of every item key (default {@code ss:}): printable ASCII without spaces, at most 64 characters. */
    public void setKeyPrefix(String keyPrefix) {
        checkNotStarted("keyPrefix");
        if (keyPrefix == null || keyPrefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("keyPrefix must have at most " + MAX_PREFIX_LENGTH + " characters");
        }
        for (int i = 0; i < keyPrefix.length(); i++) {
            char c = keyPrefix.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("keyPrefix may only hold printable ASCII without spaces");
            }
        }
        this.keyPrefix = keyPrefix;
    }

    /** Whether each session is also written to the next server; {@code null} = default (on with 2+ servers). */
    public Boolean getBackup() {
        return backup;
    }

    public void setBackup(Boolean backup) {
        checkNotStarted("backup");
        this.backup = backup;
    }

    public String getUsername() {
        return username;
    }

    /** SASL user name (binary protocol only). */
    public void setUsername(String username) {
        checkNotStarted("username");
        this.username = username == null || username.isEmpty() ? null : username;
    }

    /** Never the secret itself: {@code ****} when a password is set, else {@code null}. */
    public String getPassword() {
        return password == null ? null : MASKED;
    }

    /** SASL password (binary protocol only). */
    public void setPassword(String password) {
        checkNotStarted("password");
        this.password = password;
    }

    @Override
    protected SessionBackend openBackend(String namespace) throws IOException {
        if (servers.isEmpty()) {
            throw new IOException("MemcachedStore needs the servers attribute");
        }
        if (username != null && !binary) {
            throw new IOException("MemcachedStore: SASL (username) needs protocol=\"binary\"");
        }
        boolean withBackup = backup == null ? servers.size() > 1 : backup;
        return new MemcachedBackend(servers, binary, withBackup, keyPrefix, namespace, getOperationTimeout(),
                getMaxSessionSize(), username, password);
    }
}
