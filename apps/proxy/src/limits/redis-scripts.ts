/**
 * Lua run atomically in Redis, so N proxies share one count. Per scope five
 * keys follow KEYS[1] (the revocation marker of the key):
 *   +1 requests window (hash second → count), +2 tokens window (same),
 *   +3 in-flight (zset requestId → lease end), +4 spend of the period
 *   (string, USD), +5 reservations (zset "requestId|usd" → lease end).
 * ARGV: now_ms, request_id, estimate, lease_ms, scope count, then six per
 * scope: rpm, tpm, parallel, max_budget, seed_spent, spend_ttl_ms (-1 = none).
 */
export const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local rid = ARGV[2]
local est = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
if KEYS[1] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 then
  return {'revoked', 0, 0, 0, 0}
end
local sec = math.floor(now / 1000)
local function window(key)
  local total = 0
  local oldest = sec
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local s = tonumber(all[i])
    if s <= sec - 60 then
      redis.call('HDEL', key, all[i])
    else
      total = total + tonumber(all[i + 1])
      if s < oldest then oldest = s end
    end
  end
  return total, oldest
end
local function retry(oldest)
  local r = oldest + 60 - sec
  if r < 1 then r = 1 end
  return r
end
for i = 0, n - 1 do
  local k = 1 + i * 5
  local a = 5 + i * 6
  local rpm = tonumber(ARGV[a + 1])
  local tpm = tonumber(ARGV[a + 2])
  local par = tonumber(ARGV[a + 3])
  local maxb = tonumber(ARGV[a + 4])
  if rpm >= 0 then
    local used, oldest = window(KEYS[k + 1])
    if used >= rpm then return {'rpm', i, tostring(rpm), tostring(used), retry(oldest)} end
  end
  if tpm >= 0 then
    local used, oldest = window(KEYS[k + 2])
    if used >= tpm then return {'tpm', i, tostring(tpm), tostring(used), retry(oldest)} end
  end
  if par >= 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 3], '-inf', now)
    local busy = redis.call('ZCARD', KEYS[k + 3])
    if busy >= par then return {'parallel', i, tostring(par), tostring(busy), 1} end
  end
  if maxb >= 0 then
    local spent = tonumber(redis.call('GET', KEYS[k + 4]) or ARGV[a + 5])
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 5], '-inf', now)
    local held = redis.call('ZRANGE', KEYS[k + 5], 0, -1)
    local reserved = 0
    for _, m in ipairs(held) do
      reserved = reserved + tonumber(string.match(m, '|(.*)$'))
    end
    if spent >= maxb or (#held > 0 and spent + reserved + est > maxb) then
      return {'budget', i, tostring(maxb), tostring(spent), 0}
    end
  end
end
for i = 0, n - 1 do
  local k = 1 + i * 5
  local a = 5 + i * 6
  if tonumber(ARGV[a + 1]) >= 0 then
    redis.call('HINCRBY', KEYS[k + 1], sec, 1)
    redis.call('EXPIRE', KEYS[k + 1], 120)
  end
  if tonumber(ARGV[a + 3]) >= 0 then
    redis.call('ZADD', KEYS[k + 3], now + lease, rid)
    redis.call('PEXPIRE', KEYS[k + 3], lease)
  end
  if tonumber(ARGV[a + 4]) >= 0 then
    local ttl = tonumber(ARGV[a + 6])
    redis.call('SET', KEYS[k + 4], ARGV[a + 5], 'NX')
    if ttl > 0 then redis.call('PEXPIRE', KEYS[k + 4], ttl) end
    redis.call('ZADD', KEYS[k + 5], now + lease, rid .. '|' .. ARGV[3])
    redis.call('PEXPIRE', KEYS[k + 5], lease)
  end
end
return {'ok', 0, '0', '0', 0}
`;

/**
 * Settles one request: frees its slot and reservation, books its cost and
 * tokens. Same KEYS layout (KEYS[1] unused); ARGV: now_ms, request_id,
 * estimate, actual_cost, tokens, scope count, then per scope: has_tpm,
 * has_parallel, has_budget, seed_spent.
 */
export const SETTLE_SCRIPT = `
local now = tonumber(ARGV[1])
local rid = ARGV[2]
local actual = tonumber(ARGV[4])
local tokens = tonumber(ARGV[5])
local n = tonumber(ARGV[6])
local sec = math.floor(now / 1000)
for i = 0, n - 1 do
  local k = 1 + i * 5
  local a = 6 + i * 4
  if ARGV[a + 1] == '1' and tokens > 0 then
    redis.call('HINCRBY', KEYS[k + 2], sec, tokens)
    redis.call('EXPIRE', KEYS[k + 2], 120)
  end
  if ARGV[a + 2] == '1' then redis.call('ZREM', KEYS[k + 3], rid) end
  if ARGV[a + 3] == '1' then
    redis.call('ZREM', KEYS[k + 5], rid .. '|' .. ARGV[3])
    if actual > 0 then
      if redis.call('EXISTS', KEYS[k + 4]) == 0 then redis.call('SET', KEYS[k + 4], ARGV[a + 4]) end
      redis.call('INCRBYFLOAT', KEYS[k + 4], actual)
    end
  end
end
return 1
`;
