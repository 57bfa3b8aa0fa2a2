-- Token buckets of camel-llm's shared state store, all decided in one atomic step.
-- KEYS: one hash per bucket (fields t = tokens, ts = last refill, microseconds of the Redis clock)
-- ARGV[1]: "take" (all or nothing), "adjust" (always), "peek" (returns the first bucket's tokens x 1000),
--   "lease" (an instance's batch: see below)
-- take, adjust, peek: ARGV[2 + 3(i-1) ..]: capacity, period in microseconds, amount (adjust: negative gives back)
--   Returns 0 when taken or adjusted, else the microseconds until every bucket would have enough.
-- lease: ARGV[2 + 5(i-1) ..]: capacity, period, correction, required, extra. The correction (real usage minus
--   the estimate, summed by the instance; negative gives back) is applied first, whatever follows. Then the
--   required amounts are taken all or nothing, as take does; when they are, each bucket also gives up to
--   `extra` more of what it holds (never below zero), the instance's local lease.
--   Returns {wait, microseconds until bucket 1 holds a token (0: it does), ...} when not taken (wait in
--   microseconds), else {0, granted extra of bucket 1, ...}.
local clock = redis.call('TIME')
-- written as digits: tostring() of a number keeps only 14 of the 16 that microseconds since 1970 need
local nowText = clock[1] .. string.format('%06d', tonumber(clock[2]))
local now = tonumber(nowText)
local mode = ARGV[1]
local stride = mode == 'lease' and 5 or 3
local tokens = {}
local wait = 0

local function arg(i, field)
  return tonumber(ARGV[1 + stride * (i - 1) + field])
end

local function store(i, t)
  local cap = arg(i, 1)
  local period = arg(i, 2)
  redis.call('HSET', KEYS[i], 't', tostring(t), 'ts', nowText)
  -- once full again the bucket is the same as no bucket: let it expire then (with a second to spare)
  redis.call('PEXPIRE', KEYS[i], math.ceil((cap - t) * period / cap / 1000) + 1000)
end

for i = 1, #KEYS do
  local cap = arg(i, 1)
  local period = arg(i, 2)
  local state = redis.call('HMGET', KEYS[i], 't', 'ts')
  local t = tonumber(state[1])
  local ts = tonumber(state[2])
  if t == nil or ts == nil then
    t = cap
  elseif now > ts then
    t = math.min(cap, t + (now - ts) * cap / period)
  end
  local amount
  if mode == 'lease' then
    t = math.min(cap, t - arg(i, 3))
    amount = arg(i, 4)
  else
    amount = arg(i, 3)
  end
  tokens[i] = t
  local need = math.min(amount, cap)
  if (mode == 'take' or mode == 'lease') and need > 0 and t < need then
    local w = math.ceil((need - t) * period / cap)
    if w > wait then wait = w end
  end
end
if mode == 'peek' then
  return math.floor(tokens[1] * 1000)
end
if mode == 'lease' then
  if wait > 0 then
    -- refused: only the corrections are kept
    local refused = {wait}
    for i = 1, #KEYS do
      if arg(i, 3) ~= 0 then store(i, tokens[i]) end
      local t = tokens[i]
      refused[i + 1] = t < 1 and math.ceil((1 - t) * arg(i, 2) / arg(i, 1)) or 0
    end
    return refused
  end
  local granted = {0}
  for i = 1, #KEYS do
    local t = tokens[i] - arg(i, 4)
    local g = math.max(0, math.min(arg(i, 5), math.floor(t)))
    granted[i + 1] = g
    if arg(i, 3) ~= 0 or arg(i, 4) ~= 0 or g > 0 then store(i, t - g) end
  end
  return granted
end
if wait > 0 then
  return wait
end
for i = 1, #KEYS do
  store(i, math.min(arg(i, 1), tokens[i] - arg(i, 3)))
end
return 0
