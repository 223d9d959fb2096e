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

    /**
     * Lets a principal's set live at least until {@code date} (a TTL date, or -1: never expires); never shortens it.
     * Written out rather than {@code PEXPIREAT ... GT}, which needs Redis 7.
     */
    private static final String OUTLIVE = """
            local function outlive(set, date)
              if date == '-1' then redis.call('PERSIST', set) return end
              local ttl = redis.call('PTTL', set)
              if ttl == -1 then return end
              local t = redis.call('TIME')
              if ttl < 0 or t[1] * 1000 + math.floor(t[2] / 1000) + ttl < tonumber(date) then
                redis.call('PEXPIREAT', set, date)
              end
            end
            """;

    /**
     * The tail every full write shares: ARGV 1-5 the fields, 6 the TTL date or -1, 7 the index member, 8 the
     * principal ('' for none). The principal's set ({@link RedisKeys#principalSet}: the namespace's base, 'p:', the
     * SHA-1 hex of the name) changes in the same step as the record, so no failure leaves one without the other. A set
     * lives as long as its longest-lived record (a fresh set gets the record's date). A script
     * that fails half-way keeps what it wrote, so whatever could fail (a foreign value under a set's name) is settled
     * before the first write.
     */
    private static final String WRITE = OUTLIVE + """
            local base = string.sub(KEYS[2], 1, -2)
            local old = redis.call('HGET', KEYS[1], 'p')
            local set = ARGV[8] ~= '' and (base .. 'p:' .. redis.sha1hex(ARGV[8])) or nil
            for _, s in ipairs({ old and (base .. 'p:' .. redis.sha1hex(old)) or '', set or '' }) do
              if s ~= '' and redis.call('TYPE', s).ok ~= 'set' then redis.call('DEL', s) end
            end
            redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', ARGV[2], 'a', ARGV[3], 'm', ARGV[4], 'e', ARGV[5])
            if ARGV[6] == '-1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], ARGV[6]) end
            redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
            if old and old ~= ARGV[8] then
              redis.call('HDEL', KEYS[1], 'p')
              redis.call('SREM', base .. 'p:' .. redis.sha1hex(old), ARGV[7])
            end
            if set then
              redis.call('HSET', KEYS[1], 'p', ARGV[8])
              local fresh = redis.call('SADD', set, ARGV[7]) == 1 and redis.call('SCARD', set) == 1
              if fresh and ARGV[6] ~= '-1' then redis.call('PEXPIREAT', set, ARGV[6]) else outlive(set, ARGV[6]) end
            end
            return 1
            """;

    /**
     * A record's fields as {@code HGETALL} lists them, unless its payload is longer than {@code limit} bytes: then
     * {@code 'D'} and that length stand in place of the payload ({@code HSTRLEN} reads the length without the value),
     * so an oversized payload never leaves the server.
     */
    private static final String BOUNDED = """
            local function bounded(key, limit)
              local n = redis.call('HSTRLEN', key, 'd')
              if n <= limit then return redis.call('HGETALL', key) end
              local out = { 'D', tostring(n) }
              local names = { 'v', 'a', 'm', 'e', 'p' }
              local values = redis.call('HMGET', key, unpack(names))
              for i, f in ipairs(names) do
                if values[i] then out[#out + 1] = f out[#out + 1] = values[i] end
              end
              return out
            end
            """;

    /**
     * Load: KEYS[1] the record (no index: one key, one slot), ARGV[1] the read bound in bytes. Empty: no record;
     * {@code {'WRONGTYPE'}}: a value that is not a hash (not this store's); else the fields, bounded.
     */
    static final Script LOAD = new Script(BOUNDED + """
            local t = redis.call('TYPE', KEYS[1]).ok
            if t == 'none' then return {} end
            if t ~= 'hash' then return { 'WRONGTYPE' } end
            return bounded(KEYS[1], tonumber(ARGV[1]))
            """, ScriptOutputType.MULTI);

    /** Plain write: replaces whatever is under the key (a foreign non-hash value included). */
    static final Script SAVE = new Script("""
            if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then redis.call('DEL', KEYS[1]) end
            """ + WRITE, ScriptOutputType.INTEGER);

    /** Compare-and-set: ARGV[9] the expected version, 0 for "no record". */
    static final Script SAVE_IF_VERSION = new Script("""
            if ARGV[9] == '0' then
              if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            elseif redis.call('HGET', KEYS[1], 'v') ~= ARGV[9] then
              return 0
            end
            """ + WRITE, ScriptOutputType.INTEGER);

    /**
     * Touch: ARGV 1 last access, 2 expiry, 3 TTL date or -1, 4 member. Never creates a record. Keeps the principal
     * and extends its set's life with the record's.
     */
    static final Script TOUCH = new Script(OUTLIVE + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'a', ARGV[1], 'e', ARGV[2])
            if ARGV[3] == '-1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
            local p = redis.call('HGET', KEYS[1], 'p')
            if p then outlive(string.sub(KEYS[2], 1, -2) .. 'p:' .. redis.sha1hex(p), ARGV[3]) end
            return 1
            """, ScriptOutputType.INTEGER);

    /** Delete: ARGV[1] the member; the record leaves its principal's set (a foreign value under the key has none). */
    static final Script DELETE = new Script("""
            local p = redis.pcall('HGET', KEYS[1], 'p')
            if type(p) == 'string' then
              redis.pcall('SREM', string.sub(KEYS[2], 1, -2) .. 'p:' .. redis.sha1hex(p), ARGV[1])
            end
            local n = redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return n
            """, ScriptOutputType.INTEGER);

    /**
     * Claim: ARGV 1 now, 2 the member, 3 the read bound. Deletes the record and its index entry if it has expired and
     * returns its fields (bounded, as {@link #LOAD} reads them); an index entry without a record (its TTL ran out
     * first) is dropped. Empty: nothing claimed. The script is atomic, so of several nodes claiming one key exactly one
     * finds the record and removes the entry.
     */
    static final Script CLAIM = new Script(BOUNDED + """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('ZREM', KEYS[2], ARGV[2])
              return {}
            end
            local e = tonumber(redis.call('HGET', KEYS[1], 'e')) or 0
            if e > tonumber(ARGV[1]) then return {} end
            redis.call('ZREM', KEYS[2], ARGV[2])
            local p = redis.call('HGET', KEYS[1], 'p')
            if p then redis.pcall('SREM', string.sub(KEYS[2], 1, -2) .. 'p:' .. redis.sha1hex(p), ARGV[2]) end
            local rec = bounded(KEYS[1], tonumber(ARGV[3]))
            redis.call('DEL', KEYS[1])
            return rec
            """, ScriptOutputType.MULTI);

    /**
     * The keys of one principal: KEYS[1] its set, ARGV 1 the principal, 2 the limit. Each member is checked against
     * its record (one whose native TTL ran out, or a foreign value, is no longer that principal's) and a stale one is
     * dropped; O(the principal's members). The records share the set's slot (one hash tag per namespace).
     */
    static final Script KEYS_OF_PRINCIPAL = new Script("""
            local base = string.sub(KEYS[1], 1, -43) -- the set's name less 'p:' and 40 hex digits
            local limit = tonumber(ARGV[2])
            local out = {}
            local members = redis.pcall('SMEMBERS', KEYS[1])
            if members.err then return out end -- a foreign value: no set, nobody's keys
            for _, k in ipairs(members) do
              if redis.pcall('HGET', base .. 's:' .. k, 'p') == ARGV[1] then
                if #out < limit then out[#out + 1] = k end
              else
                redis.call('SREM', KEYS[1], k)
              end
            end
            return out
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
