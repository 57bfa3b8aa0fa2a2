-- Token buckets of camel-llm's shared state store, all decided in one atomic step.
-- KEYS: one hash per bucket (fields t = tokens, ts = last refill, microseconds of the Redis clock)
-- ARGV[1]: "take" (all or nothing), "adjust" (always), "peek" (returns the first bucket's tokens x 1000)
-- ARGV[2 + 3(i-1) ..]: capacity, period in microseconds, amount (adjust: negative gives back)
-- Returns 0 when taken or adjusted, else the microseconds until every bucket would have enough.
local clock = redis.call('TIME')
-- written as digits: tostring() of a number keeps only 14 of the 16 that microseconds since 1970 need
local nowText = clock[1] .. string.format('%06d', tonumber(clock[2]))
local now = tonumber(nowText)
local mode = ARGV[1]
local tokens = {}
local wait = 0
for i = 1, #KEYS do
  local cap = tonumber(ARGV[3 * i - 1])
  local period = tonumber(ARGV[3 * i])
  local amount = tonumber(ARGV[3 * i + 1])
  local state = redis.call('HMGET', KEYS[i], 't', 'ts')
  local t = tonumber(state[1])
  local ts = tonumber(state[2])
  if t == nil or ts == nil then
    t = cap
  elseif now > ts then
    t = math.min(cap, t + (now - ts) * cap / period)
  end
  tokens[i] = t
  local need = math.min(amount, cap)
  if mode == 'take' and t < need then
    local w = math.ceil((need - t) * period / cap)
    if w > wait then wait = w end
  end
end
if mode == 'peek' then
  return math.floor(tokens[1] * 1000)
end
if wait > 0 then
  return wait
end
for i = 1, #KEYS do
  local cap = tonumber(ARGV[3 * i - 1])
  local period = tonumber(ARGV[3 * i])
  local t = math.min(cap, tokens[i] - tonumber(ARGV[3 * i + 1]))
  redis.call('HSET', KEYS[i], 't', tostring(t), 'ts', nowText)
  -- once full again the bucket is the same as no bucket: let it expire then (with a second to spare)
  redis.call('PEXPIRE', KEYS[i], math.ceil((cap - t) * period / cap / 1000) + 1000)
end
return 0
