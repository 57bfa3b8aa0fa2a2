-- Extends the leases an instance still holds (those it gave back or that expired are not brought back).
-- KEYS[1]: the cap's sorted set; ARGV[1]: lease time (ms); ARGV[2..]: lease ids
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ttl * 2)
return 0
