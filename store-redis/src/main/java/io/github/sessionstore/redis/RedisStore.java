package io.github.sessionstore.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisURI;

import io.github.sessionstore.core.AuthenticatingStore;
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
 * {@code username} is an ACL user (Redis 6+); without it the password authenticates the default user. Set in the
 * attributes, {@code username} and {@code password} replace any credentials in {@code uri}. Every call is bounded by
 * {@code operationTimeout}. The password never shows in JMX, logs or exception messages.
 */
public class RedisStore extends AuthenticatingStore {

    static final int DEFAULT_TTL_GRACE_SECONDS = 3600;
    static final int DEFAULT_WAIT_REPLICAS_TIMEOUT = 500;
    static final int MAX_WAIT_REPLICAS = 64;
    private static final int MAX_PREFIX_LENGTH = 64;
    /** One seed of clusterNodes. */
    private static final Pattern SEED = Pattern.compile("[^\\s,]+");
    /** Redis' default proto-max-bulk-len is 512 MB; a session is refused well before that, as elsewhere. */
    static final int DEFAULT_MAX_SESSION_SIZE = 16 * 1024 * 1024;

    private String uri;
    private RedisURI parsedUri;
    private List<RedisURI> clusterSeeds = List.of();
    private String clusterNodes;
    private String keyPrefix = "ss:";
    private int ttlGraceSeconds = DEFAULT_TTL_GRACE_SECONDS;
    private int waitReplicas;
    private int waitReplicasTimeout = DEFAULT_WAIT_REPLICAS_TIMEOUT;

    public RedisStore() {
        setMaxSessionSize(DEFAULT_MAX_SESSION_SIZE);
    }

    /** The URI with any password in it masked: it is shown by JMX and in logs. */
    public String getUri() {
        return mask(uri);
    }

    /** {@code redis://host:6379/0}, {@code rediss://…} or {@code redis-sentinel://s1:26379,s2:26379/0#master}. */
    public void setUri(String uri) {
        if (!settable("uri")) {
            return;
        }
        if (uri == null || uri.isBlank()) {
            accept("uri");
            this.uri = null;
            this.parsedUri = null;
            return;
        }
        try {
            this.parsedUri = parse(uri.trim());
            this.uri = uri.trim();
            accept("uri");
        } catch (IllegalArgumentException e) {
            refuse("uri", e.getMessage()); // parse's reasons never quote the URI
        }
    }

    /** The URI parsed; if it is not, an IllegalArgumentException whose message says why, never quoting the value. */
    static RedisURI parse(String value) {
        RedisURI parsed;
        try {
            parsed = RedisURI.create(value);
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URI, password included: only the class is said
            throw new IllegalArgumentException("is not a valid Redis URI (redis://host:port/db, rediss://…,"
                    + " redis-sentinel://host:port,…/db#master): " + e.getClass().getSimpleName());
        }
        if (parsed.getSocket() != null) {
            throw new IllegalArgumentException("is a Unix domain socket, which is not supported");
        }
        return parsed;
    }

    /** The seeds as set, with any password in a {@code redis://} seed masked: it is shown by JMX and in logs. */
    public String getClusterNodes() {
        if (clusterNodes == null) {
            return null;
        }
        Matcher m = SEED.matcher(clusterNodes);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(mask(m.group())));
        }
        return m.appendTail(sb).toString();
    }

    /** Redis Cluster seeds, {@code host:port} separated by spaces or commas; use it or {@code uri}, never both. */
    public void setClusterNodes(String clusterNodes) {
        if (!settable("clusterNodes")) {
            return;
        }
        if (clusterNodes == null || clusterNodes.isBlank()) {
            accept("clusterNodes");
            this.clusterNodes = null;
            this.clusterSeeds = List.of();
            return;
        }
        try {
            this.clusterSeeds = parseSeeds(clusterNodes);
            this.clusterNodes = clusterNodes.trim();
            accept("clusterNodes");
        } catch (IllegalArgumentException e) {
            refuse("clusterNodes", e.getMessage()); // parseSeeds' reasons name a seed by position, not its text
        }
    }

    /** New, mutable RedisURI instances each call: the connector sets timeouts and credentials on them. */
    static List<RedisURI> parseSeeds(String clusterNodes) {
        List<RedisURI> seeds = new ArrayList<>();
        int position = 0;
        for (String s : clusterNodes.trim().split("[\\s,]+")) {
            position++;
            if (s.contains("://")) {
                try {
                    seeds.add(parse(s));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("seed " + position + " " + e.getMessage());
                }
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
                throw new IllegalArgumentException("seed " + position + " is not host:port");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            seeds.add(RedisURI.create(host, port));
        }
        return seeds;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    /** Prefix of every key (default {@code ss:}): printable ASCII without spaces or braces, at most 64 characters. */
    public void setKeyPrefix(String keyPrefix) {
        if (!settable("keyPrefix")) {
            return;
        }
        if (keyPrefix == null || keyPrefix.length() > MAX_PREFIX_LENGTH
                || !keyPrefix.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '{' && c != '}')) {
            refuse("keyPrefix", "must be at most " + MAX_PREFIX_LENGTH + " printable ASCII characters without spaces"
                    + " or braces (the store adds the Cluster hash tag itself)");
            return;
        }
        accept("keyPrefix");
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
        if (settableInRange("ttlGraceSeconds", ttlGraceSeconds, 1, 30 * 86_400, " s")) {
            this.ttlGraceSeconds = ttlGraceSeconds;
        }
    }

    public int getWaitReplicas() {
        return waitReplicas;
    }

    /**
     * How many replicas must have each record write (save, touch, delete) before it counts as done: the write is
     * followed by {@code WAIT waitReplicas waitReplicasTimeout} on the same connection, and fewer replicas fail it
     * (the core keeps the session and retries it). 0 (the default): no WAIT. A failover then loses no write the store
     * counted as done, as long as a replica that has it is the one promoted.
     */
    public void setWaitReplicas(int waitReplicas) {
        if (settableInRange("waitReplicas", waitReplicas, 0, MAX_WAIT_REPLICAS, "")) {
            this.waitReplicas = waitReplicas;
        }
    }

    public int getWaitReplicasTimeout() {
        return waitReplicasTimeout;
    }

    /** How long WAIT waits for the replicas, in ms (default 500); below operationTimeout. */
    public void setWaitReplicasTimeout(int waitReplicasTimeout) {
        if (settableInRange("waitReplicasTimeout", waitReplicasTimeout, 1, 60_000, " ms")) {
            this.waitReplicasTimeout = waitReplicasTimeout;
        }
    }

    /** Exactly one of uri and clusterNodes, or the store does not start. */
    @Override
    protected void validateSettings() {
        if (uri != null && clusterNodes != null) {
            refuse("clusterNodes", "excludes uri: set one of them");
        }
        if (uri == null && clusterNodes == null) {
            refuse("uri", "is required unless clusterNodes is set");
        }
        if (waitReplicas > 0 && waitReplicasTimeout >= getOperationTimeout()) {
            refuse("waitReplicasTimeout", "must be below operationTimeout (" + getOperationTimeout() + " ms)");
        }
    }

    @Override
    protected SessionBackend openBackend(String namespace) throws IOException {
        RedisConnector connector = new RedisConnector(getOperationTimeout(), getMaxSessionSize(), username(),
                password(), waitReplicas, waitReplicasTimeout);
        RedisKeys keys = new RedisKeys(keyPrefix, namespace);
        // Parsed again: each backend gets RedisURI instances of its own to configure
        return parsedUri != null
                ? connector.standalone(parse(uri), keys, ttlGraceSeconds * 1000L)
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
