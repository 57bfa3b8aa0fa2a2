-- Reserves an estimate against a budget of camel-llm's shared state store, atomically.
-- KEYS[1]: nano-USD spent plus held by calls in flight in the budget's period
-- ARGV: limit (nano-USD), estimate (nano-USD), seconds to keep the key (0: for ever)
-- Returns {granted (1 or 0), committed before this reservation}
local committed = tonumber(redis.call('GET', KEYS[1]) or '0')
if committed >= tonumber(ARGV[1]) then
  return {0, committed}
end
redis.call('INCRBY', KEYS[1], ARGV[2])
local keep = tonumber(ARGV[3])
if keep > 0 and redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], keep)
end
return {1, committed}
