package io.pulsarrpc.bus.redis;

/**
 * The Lua scripts of the bus. Each runs atomically in Redis, which is what makes the multi-step
 * operations safe with any number of bus instances: moving a due delayed entry (XADD then ZREM),
 * joining a subscription (check the other members, then add), claiming entries together with their
 * delivery counts, releasing a closing consumer's entries.
 *
 * <p>Times come from the Redis server's clock ({@code TIME}), the one clock every bus instance
 * shares. The scripts touch keys they derive from their arguments (a topic's delayed set), which
 * needs a standalone Redis (or one primary), not Redis Cluster.
 */
final class StreamScripts {

  private StreamScripts() {}

  private static final String NOW =
      """
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      """;

  /**
   * Stores a delayed entry. KEYS: the topic's delayed set, the registry of topics with delayed
   * entries. ARGV: delivery time (epoch ms), the encoded entry ({@link EntryLayout#delayedMember}),
   * the topic.
   */
  static final LuaScript DELAY =
      new LuaScript(
          "delay",
          """
          redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
          redis.call('SADD', KEYS[2], ARGV[3])
          return 1
          """);

  /**
   * Moves due delayed entries of every registered topic to their streams, oldest delivery time
   * first, and drops topics without delayed entries from the registry. KEYS: the registry. ARGV:
   * the prefix of delayed-set keys, the most entries to move in this call. Returns {moved, failed}:
   * an entry whose XADD fails (the topic's key is not a stream) stays where it is.
   */
  static final LuaScript MOVE_DUE =
      new LuaScript(
          "move-due",
          NOW
              + """
              local limit = tonumber(ARGV[2])
              local moved = 0
              local failed = 0
              local function move(topic, member)
                local semi = string.find(member, ';', 37, true)
                local maxLen = tonumber(string.sub(member, 37, semi - 1))
                local args = {topic}
                if maxLen > 0 then
                  args[#args + 1] = 'MAXLEN'
                  args[#args + 1] = '~'
                  args[#args + 1] = maxLen
                end
                args[#args + 1] = '*'
                local pos = semi + 1
                while pos <= #member do
                  local colon = string.find(member, ':', pos, true)
                  local len = tonumber(string.sub(member, pos, colon - 1))
                  args[#args + 1] = string.sub(member, colon + 1, colon + len)
                  pos = colon + len + 1
                end
                redis.call('XADD', unpack(args))
              end
              for _, topic in ipairs(redis.call('SMEMBERS', KEYS[1])) do
                if moved + failed >= limit then
                  break
                end
                local delayed = ARGV[1] .. topic
                local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now,
                    'LIMIT', 0, limit - moved - failed)
                for _, member in ipairs(due) do
                  if pcall(move, topic, member) then
                    redis.call('ZREM', delayed, member)
                    moved = moved + 1
                  else
                    failed = failed + 1
                  end
                end
                if redis.call('EXISTS', delayed) == 0 then
                  redis.call('SREM', KEYS[1], topic)
                end
              end
              return {moved, failed}
              """);

  /**
   * Joins a subscription or renews this consumer's lease on it, and resets the idle time of the
   * entries the consumer still holds, so that a live consumer's entries are never claimed. KEYS:
   * the subscription's members, the stream. ARGV: this member ({@code E:} or {@code S:} and the
   * consumer name), lease in ms, group, consumer name, then the entry ids to keep. Returns {1,
   * kept} on success; {0, mode of the other members, their number} when this consumer may not join:
   * an exclusive subscription with another member, or a shared one with an exclusive member.
   */
  static final LuaScript HEARTBEAT =
      new LuaScript(
          "heartbeat",
          NOW
              + """
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
              if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
                local first = redis.call('ZRANGE', KEYS[1], 0, 0)
                if #first > 0 then
                  local mine = string.sub(ARGV[1], 1, 1)
                  local theirs = string.sub(first[1], 1, 1)
                  if mine == 'E' or theirs == 'E' then
                    return {0, theirs, redis.call('ZCARD', KEYS[1])}
                  end
                end
              end
              local lease = tonumber(ARGV[2])
              redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
              redis.call('PEXPIRE', KEYS[1], lease)
              local kept = 0
              for i = 5, #ARGV do
                local ok, pending = pcall(redis.call, 'XPENDING', KEYS[2], ARGV[3],
                    ARGV[i], ARGV[i], 1, ARGV[4])
                if ok and #pending == 1 then
                  redis.call('XCLAIM', KEYS[2], ARGV[3], ARGV[4], 0, ARGV[i], 'JUSTID')
                  kept = kept + 1
                end
              end
              return {1, kept}
              """);

  /**
   * Claims entries idle for at least the claim idle time (their consumer died or released them),
   * with their delivery counts, and removes consumers that hold no entries and were idle that long.
   * KEYS: the stream. ARGV: group, consumer name, min idle ms, cursor, count, and the idle ms after
   * which an empty consumer is removed, or 0 to skip that. Returns {next cursor, {{id, fields,
   * delivery count}...}, number of entries trimmed before anyone acknowledged them}.
   */
  static final LuaScript CLAIM =
      new LuaScript(
          "claim",
          """
          local result = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4],
              'COUNT', ARGV[5])
          local claimed = {}
          for _, entry in ipairs(result[2]) do
            if entry and entry[2] then
              local pending = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
              claimed[#claimed + 1] = {entry[1], entry[2], pending[1][4]}
            end
          end
          local cleanupIdle = tonumber(ARGV[6])
          if cleanupIdle > 0 then
            for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
              local name, pending, idle
              for i = 1, #consumer, 2 do
                if consumer[i] == 'name' then
                  name = consumer[i + 1]
                elseif consumer[i] == 'pending' then
                  pending = consumer[i + 1]
                elseif consumer[i] == 'idle' then
                  idle = consumer[i + 1]
                end
              end
              if name ~= ARGV[2] and pending == 0 and idle > cleanupIdle then
                redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
              end
            end
          end
          local deleted = 0
          if result[3] then
            deleted = #result[3]
          end
          return {result[1], claimed, deleted}
          """);

  /**
   * Delivers a negatively acknowledged entry again to the consumer that holds it, raising its
   * delivery count; does nothing when the consumer no longer holds it (acknowledged meanwhile, or
   * claimed by another). KEYS: the stream. ARGV: group, consumer name, id. Returns {id, fields,
   * delivery count}, or an empty array.
   */
  static final LuaScript REDELIVER =
      new LuaScript(
          "redeliver",
          """
          local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
          if #pending == 0 then
            return {}
          end
          local entries = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3])
          if #entries == 0 or not entries[1] or not entries[1][2] then
            return {}
          end
          return {entries[1][1], entries[1][2], pending[1][4] + 1}
          """);

  /**
   * Releases entries this consumer holds: makes them look idle for ARGV[4] ms so that the next
   * claim of any consumer of the group takes them. KEYS: the stream. ARGV: group, consumer name,
   * idle ms, then the ids (only those the consumer still holds are released). Returns how many were
   * released.
   */
  static final LuaScript RELEASE =
      new LuaScript(
          "release",
          """
          local released = 0
          for i = 4, #ARGV do
            local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1],
                ARGV[i], ARGV[i], 1, ARGV[2])
            if ok and #pending == 1 then
              redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', ARGV[3], 'JUSTID')
              released = released + 1
            end
          end
          return released
          """);

  /**
   * A closing consumer leaves: it leaves the subscription's members, releases every entry it holds
   * (as {@link #RELEASE}), and deletes itself from the group when it held none. KEYS: the
   * subscription's members, the stream. ARGV: this member, group, consumer name, idle ms. Returns
   * how many entries were released.
   */
  static final LuaScript LEAVE =
      new LuaScript(
          "leave",
          """
          redis.call('ZREM', KEYS[1], ARGV[1])
          local released = 0
          local function release()
            local start = '-'
            while true do
              local pending = redis.call('XPENDING', KEYS[2], ARGV[2], start, '+', 100, ARGV[3])
              for _, entry in ipairs(pending) do
                redis.call('XCLAIM', KEYS[2], ARGV[2], ARGV[3], 0, entry[1],
                    'IDLE', ARGV[4], 'JUSTID')
                released = released + 1
              end
              if #pending < 100 then
                break
              end
              start = '(' .. pending[#pending][1]
            end
            if released == 0 then
              redis.call('XGROUP', 'DELCONSUMER', KEYS[2], ARGV[2], ARGV[3])
            end
          end
          pcall(release)
          return released
          """);

  /**
   * Creates the consumer group of a temporary subscription at {@code $}, and the stream with it,
   * and records the group as temporary. A temporary group of that name left behind by a consumer
   * that died is replaced (the caller holds the subscription's lease, so its consumer is gone); a
   * durable group of that name is left alone. KEYS: the stream, the topic's temporary groups. ARGV:
   * the group. Returns 1 when created, 0 when a durable group has the name.
   */
  static final LuaScript CREATE_TEMPORARY =
      new LuaScript(
          "create-temporary",
          """
          local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', KEYS[1])
          if ok then
            for _, group in ipairs(groups) do
              for i = 1, #group, 2 do
                if group[i] == 'name' and group[i + 1] == ARGV[1] then
                  if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
                    return 0
                  end
                  redis.call('XGROUP', 'DESTROY', KEYS[1], ARGV[1])
                end
              end
            end
          end
          redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '$', 'MKSTREAM')
          redis.call('SADD', KEYS[2], ARGV[1])
          return 1
          """);

  /**
   * The consumer of a temporary subscription leaves: it leaves the members and destroys the group,
   * with its pending entries, if the group is recorded as temporary. KEYS: the subscription's
   * members, the stream, the topic's temporary groups. ARGV: this member, the group. Returns 0.
   */
  static final LuaScript LEAVE_TEMPORARY =
      new LuaScript(
          "leave-temporary",
          """
          redis.call('ZREM', KEYS[1], ARGV[1])
          if redis.call('SREM', KEYS[3], ARGV[2]) == 1 then
            pcall(redis.call, 'XGROUP', 'DESTROY', KEYS[2], ARGV[2])
          end
          return 0
          """);

  /**
   * Removes the temporary groups whose consumer died (its members key expired with its lease), then
   * trims what every remaining group of the stream has acknowledged: entries older than the oldest
   * entry any group still needs (its oldest pending entry, or the first it has not read).
   * Approximate ({@code MINID ~}), so Redis frees whole nodes only. A stream without groups is left
   * alone. KEYS: the stream, the topic's temporary groups. ARGV: the prefix of the topic's members
   * keys. Returns how many entries were trimmed.
   */
  static final LuaScript TRIM_ACKNOWLEDGED =
      new LuaScript(
          "trim-acknowledged",
          """
          for _, temporary in ipairs(redis.call('SMEMBERS', KEYS[2])) do
            if redis.call('EXISTS', ARGV[1] .. temporary) == 0 then
              pcall(redis.call, 'XGROUP', 'DESTROY', KEYS[1], temporary)
              redis.call('SREM', KEYS[2], temporary)
            end
          end
          local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', KEYS[1])
          if not ok or #groups == 0 then
            return 0
          end
          local function parse(id)
            local dash = string.find(id, '-', 1, true)
            return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
          end
          local minMs, minSeq
          for _, group in ipairs(groups) do
            local name, last
            for i = 1, #group, 2 do
              if group[i] == 'name' then
                name = group[i + 1]
              elseif group[i] == 'last-delivered-id' then
                last = group[i + 1]
              end
            end
            local ms, seq
            local summary = redis.call('XPENDING', KEYS[1], name)
            if summary[1] > 0 then
              ms, seq = parse(summary[2])
            else
              ms, seq = parse(last)
              seq = seq + 1
            end
            if minMs == nil or ms < minMs or (ms == minMs and seq < minSeq) then
              minMs, minSeq = ms, seq
            end
          end
          local threshold = string.format('%.0f-%.0f', minMs, minSeq)
          return redis.call('XTRIM', KEYS[1], 'MINID', '~', threshold)
          """);
}
