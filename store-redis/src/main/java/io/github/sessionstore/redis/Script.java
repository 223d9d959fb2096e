package io.github.sessionstore.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * One server-side Lua script, run by its SHA-1 ({@code EVALSHA}: one round trip carrying only the digest). When the
 * server's script cache does not have it (a restarted or promoted server, a new cluster node, {@code SCRIPT FLUSH}),
 * the server answers {@code NOSCRIPT} and the script is sent once in full ({@code EVAL}), which also caches it there.
 * A script runs atomically on the server: no other command runs between its steps.
 */
final class Script {

    private final String source;
    private final String sha;
    private final ScriptOutputType output;

    Script(String source, ScriptOutputType output) {
        this.source = source;
        this.sha = sha1(source);
        this.output = output;
    }

    String sha() {
        return sha;
    }

    <T> T run(RedisClusterCommands<String, byte[]> redis, String[] keys, byte[]... args) {
        try {
            return redis.evalsha(sha, output, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, output, keys, args);
        }
    }

    /** Sends the script without waiting for its answer: by its digest, or in full ({@code EVAL}). */
    <T> RedisFuture<T> dispatch(RedisClusterAsyncCommands<String, byte[]> redis, boolean full, String[] keys,
            byte[]... args) {
        return full ? redis.eval(source, output, keys, args) : redis.evalsha(sha, output, keys, args);
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
