-- The newest entries of a candidate set of camel-llm's shared state store (the semantic cache's).
-- KEYS[1]: a sorted set: member = entry id, score = when it was added (µs of the Redis clock)
-- KEYS[2]: a hash: 'e:'..id = the entry's probe (an embedding), 'p:'..id = its payload (an answer)
-- ARGV: most entries, max age (ms)
-- Returns id1, probe1, id2, probe2, ...: the newest first, only entries younger than max age.
local clock = redis.call('TIME')
-- microseconds (exact in a double until the year 2255): two adds (each its own script) all but never share a time, so the order is theirs
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
-- formatted by hand: Lua's own number to string keeps 14 digits, a time in µs has 16
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', string.format('(%.0f', now - tonumber(ARGV[2]) * 1000),
  'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, id in ipairs(ids) do
  local probe = redis.call('HGET', KEYS[2], 'e:' .. id)
  if probe then
    out[#out + 1] = id
    out[#out + 1] = probe
  end
end
return out
