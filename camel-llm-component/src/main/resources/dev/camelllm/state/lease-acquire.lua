-- Takes one slot of a concurrency cap of camel-llm's shared state store.
-- KEYS[1]: a sorted set of the slots held: member = lease id, score = when it expires (ms of the Redis clock)
-- ARGV: max slots, lease id, lease time (ms)
-- Leases whose instance stopped renewing them (it died) have expired and are dropped first.
-- Returns 1 when taken, 0 when all slots are held.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl * 2)
return 1
