package io.github.sessionstore.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisURI;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionBackend;

/**
 * Sessions in Redis or Valkey through Lettuce: standalone, Sentinel or Cluster.
 *
 * <pre>
 * &lt;Manager className="org.apache.catalina.session.PersistentManager"&gt;
 *   &lt;Store className="io.github.sessionstore.redis.RedisStore" uri="redis://redis1:6379/0"
 *          username="tomcat" password="${REDIS_PASSWORD}"/&gt;
 * &lt;/Manager&gt;
 * </pre>
 *
 * {@code uri} takes Lettuce's syntax ({@code redis://}, {@code rediss://} for TLS,
 * {@code redis-sentinel://s1:26379,s2:26379/0#mymaster}); {@code clusterNodes} lists Redis Cluster seeds instead.
 * Every call is bounded by {@code operationTimeout}. The password never shows in JMX, logs or exception messages.
 */
public class RedisStore extends AbstractSessionStore {

    static final String MASK = "****";
    static final int DEFAULT_TTL_GRACE_SECONDS = 3600;
    private static final int MAX_PREFIX_LENGTH = 64;
    /** Redis' default proto-max-bulk-len is 512 MB; a session is refused well before that, as elsewhere. */
    static final int DEFAULT_MAX_SESSION_SIZE = 16 * 1024 * 1024;

    private String uri;
    private RedisURI parsedUri;
    private List<RedisURI> clusterSeeds = List.of();
    private String clusterNodes;
    private String username;
    private String password;
    private String keyPrefix = "ss:";
    private int ttlGraceSeconds = DEFAULT_TTL_GRACE_SECONDS;

    public RedisStore() {
        setMaxSessionSize(DEFAULT_MAX_SESSION_SIZE);
    }

    /** The URI with any password in it masked: it is shown by JMX and in logs. */
    public String getUri() {
        return mask(uri);
    }

    /** {@code redis://host:6379/0}, {@code rediss://…} or {@code redis-sentinel://s1:26379,s2:26379/0#master}. */
    public void setUri(String uri) {
        checkNotStarted("uri");
        if (uri == null || uri.isBlank()) {
            this.uri = null;
            this.parsedUri = null;
            return;
        }
        this.parsedUri = parse(uri.trim(), "uri");
        this.uri = uri.trim();
    }

    static RedisURI parse(String value, String property) {
        RedisURI parsed;
        try {
            parsed = RedisURI.create(value);
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URI, password included: only the class is said
            throw new IllegalArgumentException(property + " is not a valid Redis URI (redis://host:port/db, rediss://…,"
                    + " redis-sentinel://host:port,…/db#master): " + e.getClass().getSimpleName());
        }
        if (parsed.getSocket() != null) {
            throw new IllegalArgumentException(property + ": Unix domain sockets are not supported");
        }
        return parsed;
    }

    public String getClusterNodes() {
        return clusterNodes;
    }

    /** Redis Cluster seeds, {@code host:port} separated by spaces or commas; use it or {@code uri}, never both. */
    public void setClusterNodes(String clusterNodes) {
        checkNotStarted("clusterNodes");
        if (clusterNodes == null || clusterNodes.isBlank()) {
            this.clusterNodes = null;
            this.clusterSeeds = List.of();
            return;
        }
        this.clusterSeeds = parseSeeds(clusterNodes);
        this.clusterNodes = clusterNodes.trim();
    }

    /** New, mutable RedisURI instances each call: the connector sets timeouts and credentials on them. */
    static List<RedisURI> parseSeeds(String clusterNodes) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String s : clusterNodes.trim().split("[\\s,]+")) {
            if (s.contains("://")) {
                seeds.add(parse(s, "clusterNodes"));
                continue;
            }
            int colon = s.lastIndexOf(':');
            String host = colon > 0 ? s.substring(0, colon) : "";
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("clusterNodes: '" + s + "' is not host:port");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            seeds.add(RedisURI.create(host, port));
        }
        return seeds;
    }

    public String getUsername() {
        return username;
    }

    /** ACL user name (Redis 6+); without it the password authenticates the default user. */
    public void setUsername(String username) {
        checkNotStarted("username");
        this.username = username == null || username.isEmpty() ? null : username;
    }

    /** Never the secret itself: {@code ****} when a password is set, else {@code null}. */
    public String getPassword() {
        return password == null ? null : MASK;
    }

    /**
     * The password. Set in the attributes, {@code username} and {@code password} replace any credentials in
     * {@code uri} (without {@code username}, the password authenticates the default user).
     */
    public void setPassword(String password) {
        checkNotStarted("password");
        this.password = password == null || password.isEmpty() ? null : password;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    /** Prefix of every key (default {@code ss:}): printable ASCII without spaces or braces, at most 64 characters. */
    public void setKeyPrefix(String keyPrefix) {
        checkNotStarted("keyPrefix");
        if (keyPrefix == null || keyPrefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("keyPrefix must have at most " + MAX_PREFIX_LENGTH + " characters");
        }
        for (int i = 0; i < keyPrefix.length(); i++) {
            char c = keyPrefix.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '{' || c == '}') {
                throw new IllegalArgumentException("keyPrefix may only hold printable ASCII without spaces or braces"
                        + " (the store adds the Cluster hash tag itself)");
            }
        }
        this.keyPrefix = keyPrefix;
    }

    public int getTtlGraceSeconds() {
        return ttlGraceSeconds;
    }

    /**
     * How long after a session's expiry its key's native TTL removes it (default 3600). Within this grace the sweep
     * claims the session and fires its listeners; the TTL only cleans up when no Tomcat sweeps.
     */
    public void setTtlGraceSeconds(int ttlGraceSeconds) {
        this.ttlGraceSeconds = checked("ttlGraceSeconds", ttlGraceSeconds, 1, 30 * 86_400, " s");
    }

    @Override
    protected SessionBackend openBackend(String namespace) throws IOException {
        if (parsedUri != null && !clusterSeeds.isEmpty()) {
            throw new IOException("RedisStore: set uri or clusterNodes, not both");
        }
        if (parsedUri == null && clusterSeeds.isEmpty()) {
            throw new IOException("RedisStore needs the uri or the clusterNodes attribute");
        }
        RedisConnector connector = new RedisConnector(getOperationTimeout(), getMaxSessionSize(), username, password);
        RedisKeys keys = new RedisKeys(keyPrefix, namespace);
        // Parsed again: each backend gets RedisURI instances of its own to configure
        return parsedUri != null
                ? connector.standalone(parse(uri, "uri"), keys, ttlGraceSeconds * 1000L)
                : connector.cluster(parseSeeds(clusterNodes), keys, ttlGraceSeconds * 1000L);
    }

    /** Everything between the scheme and the last {@code @} before the path goes: over-masks rather than under. */
    static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        int start = uri.indexOf("://");
        if (start < 0) {
            return uri;
        }
        start += 3;
        int end = uri.length();
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int at = uri.lastIndexOf('@', end - 1);
        if (at < start) {
            return uri;
        }
        int colon = uri.indexOf(':', start);
        int from = colon >= 0 && colon < at ? colon + 1 : start;
        return uri.substring(0, from) + MASK + uri.substring(at);
    }
}
