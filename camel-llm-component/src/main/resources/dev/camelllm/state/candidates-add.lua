-- Adds an entry to a candidate set of camel-llm's shared state store (keys as in candidates-newest.lua).
-- ARGV: id, probe, payload, entries to keep, time to live (ms)
-- An entry of the same id is replaced; entries older than the time to live go, then the oldest over the
-- bound. Both keys expire a time to live after the last add. Returns 1.
local clock = redis.call('TIME')
-- microseconds (exact in a double until the year 2255): two adds (each its own script) all but never share a time, so the order is theirs
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local ttl = tonumber(ARGV[5])
local function drop(ids)
  for _, id in ipairs(ids) do
    redis.call('HDEL', KEYS[2], 'e:' .. id, 'p:' .. id)
    redis.call('ZREM', KEYS[1], id)
  end
end
-- formatted by hand: Lua's own number to string keeps 14 digits, a time in µs has 16
redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[1])
redis.call('HSET', KEYS[2], 'e:' .. ARGV[1], ARGV[2], 'p:' .. ARGV[1], ARGV[3])
drop(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - ttl * 1000)))
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if over > 0 then
  drop(redis.call('ZRANGE', KEYS[1], 0, over - 1))
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
