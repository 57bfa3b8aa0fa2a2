-- Adds an entry to a candidate set of camel-llm's shared state store (keys as in candidates-newest.lua).
-- ARGV: id, probe, payload, entries to keep, time to live (ms)
-- An entry of the same id is replaced; entries older than the time to live go, then the oldest over the
-- bound. Both keys expire a time to live after the last add. Returns 1.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local ttl = tonumber(ARGV[5])
local function drop(ids)
  for _, id in ipairs(ids) do
    redis.call('HDEL', KEYS[2], 'e:' .. id, 'p:' .. id)
    redis.call('ZREM', KEYS[1], id)
  end
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('HSET', KEYS[2], 'e:' .. ARGV[1], ARGV[2], 'p:' .. ARGV[1], ARGV[3])
drop(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl))
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if over > 0 then
  drop(redis.call('ZRANGE', KEYS[1], 0, over - 1))
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
