package io.github.sessionstore.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The server-side scripts. KEYS[1] is always the record (or lock) and KEYS[2] the namespace's expiry index, so that
 * Redis Cluster can route each script to the one slot both live in. Record writes set the record's native TTL
 * ({@code PEXPIREAT}, the expiry plus the store's grace; {@code PERSIST} for a session that never expires) and its
 * index entry in the same atomic step.
 */
final class Scripts {

    private Scripts() {
    }

    /** The tail every full write shares: ARGV 1-5 the fields, 6 the TTL date or -1, 7 the index member. */
    private static final String WRITE = """
            redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', ARGV[2], 'a', ARGV[3], 'm', ARGV[4], 'e', ARGV[5])
            if ARGV[6] == '-1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], ARGV[6]) end
            redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
            return 1
            """;

    /** Plain write: replaces whatever is under the key (a foreign non-hash value included). */
    static final Script SAVE = new Script("""
            if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then redis.call('DEL', KEYS[1]) end
            """ + WRITE, ScriptOutputType.INTEGER);

    /** Compare-and-set: ARGV[8] the expected version, 0 for "no record". */
    static final Script SAVE_IF_VERSION = new Script("""
            if ARGV[8] == '0' then
              if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            elseif redis.call('HGET', KEYS[1], 'v') ~= ARGV[8] then
              return 0
            end
            """ + WRITE, ScriptOutputType.INTEGER);

    /** Touch: ARGV 1 last access, 2 expiry, 3 TTL date or -1, 4 member. Never creates a record. */
    static final Script TOUCH = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'a', ARGV[1], 'e', ARGV[2])
            if ARGV[3] == '-1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
            return 1
            """, ScriptOutputType.INTEGER);

    /** Delete: ARGV[1] the member. */
    static final Script DELETE = new Script("""
            local n = redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return n
            """, ScriptOutputType.INTEGER);

    /**
     * Claim: ARGV 1 now, 2 the member. Deletes the record and its index entry if it has expired and returns its fields
     * (HGETALL); an index entry without a record (its TTL ran out first) is dropped. Empty: nothing claimed. The
     * script is atomic, so of several nodes claiming one key exactly one finds the record and removes the entry.
     */
    static final Script CLAIM = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('ZREM', KEYS[2], ARGV[2])
              return {}
            end
            local e = tonumber(redis.call('HGET', KEYS[1], 'e')) or 0
            if e > tonumber(ARGV[1]) then return {} end
            redis.call('ZREM', KEYS[2], ARGV[2])
            local rec = redis.call('HGETALL', KEYS[1])
            redis.call('DEL', KEYS[1])
            return rec
            """, ScriptOutputType.MULTI);

    /** Take or renew a lock: ARGV 1 owner, 2 lease millis (the slow path after a refused SET NX). */
    static final Script LOCK = new Script("""
            local cur = redis.call('GET', KEYS[1])
            if cur == false or cur == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """, ScriptOutputType.INTEGER);

    /** Release a lock only while ARGV[1] owns it. */
    static final Script UNLOCK = new Script("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """, ScriptOutputType.INTEGER);
}
