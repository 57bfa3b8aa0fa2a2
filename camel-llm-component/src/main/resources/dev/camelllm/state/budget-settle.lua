-- Replaces a reservation's estimate by the real amount; a key whose period expired is left alone.
-- KEYS[1]: the budget's key; ARGV[1]: real amount minus the estimate (nano-USD)
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return 0
