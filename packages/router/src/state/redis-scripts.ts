/**
 * Lua scripts run atomically inside Redis, so that several routers reading
 * and writing the same keys never interleave a check and its update.
 */

/**
 * KEYS: five per deployment (cooldown, rpm, tpm, in-flight, latency list).
 * ARGV[1..3]: '1' to read usage, in-flight, latency. ARGV[4]: now (ms).
 * Returns five strings per deployment ('' when absent); latency is the mean.
 */
export const SNAPSHOT_LUA = `
local out = {}
local now = tonumber(ARGV[4])
for i = 0, (#KEYS / 5) - 1 do
  local b = i * 5
  local cd = tonumber(redis.call('GET', KEYS[b + 1]) or '0') or 0
  if cd <= now then cd = 0 end
  out[#out + 1] = tostring(cd)
  if ARGV[1] == '1' then
    out[#out + 1] = redis.call('GET', KEYS[b + 2]) or '0'
    out[#out + 1] = redis.call('GET', KEYS[b + 3]) or '0'
  else
    out[#out + 1] = '0'
    out[#out + 1] = '0'
  end
  if ARGV[2] == '1' then
    out[#out + 1] = redis.call('GET', KEYS[b + 4]) or '0'
  else
    out[#out + 1] = '0'
  end
  local lat = ''
  if ARGV[3] == '1' then
    local samples = redis.call('LRANGE', KEYS[b + 5], 0, -1)
    if #samples > 0 then
      local sum = 0
      for _, v in ipairs(samples) do sum = sum + tonumber(v) end
      lat = tostring(sum / #samples)
    end
  end
  out[#out + 1] = lat
end
return out
`;

/**
 * KEYS[1]: the deployment's rpm key for this minute. ARGV[1]: limit, or -1
 * for none. ARGV[2]: key TTL (ms). Returns the new count, or -1 when refused.
 */
export const ACQUIRE_LUA = `
local limit = tonumber(ARGV[1])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if limit >= 0 and count >= limit then return -1 end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count
`;

/**
 * KEYS[1]: failure count key for this minute. KEYS[2]: cooldown key.
 * ARGV: allowed fails, immediate ('1'/'0'), now, cooldown ms, window TTL ms.
 * Returns {failures, cooldown deadline or 0}. The later deadline wins when a
 * cooldown is already running.
 */
export const FAILURE_LUA = `
local fails = redis.call('INCR', KEYS[1])
if fails == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
if ARGV[2] ~= '1' and fails <= tonumber(ARGV[1]) then return {fails, 0} end
local now = tonumber(ARGV[3])
local deadline = now + tonumber(ARGV[4])
local current = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if current > deadline then deadline = current end
if deadline > now then
  redis.call('SET', KEYS[2], string.format('%d', deadline), 'PX', string.format('%d', deadline - now))
end
redis.call('DEL', KEYS[1])
return {0, string.format('%d', deadline)}
`;

/** KEYS[1]: in-flight counter. ARGV[1]: delta. ARGV[2]: TTL (ms). Never goes below 0. */
export const IN_FLIGHT_LUA = `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if v < 0 then redis.call('SET', KEYS[1], '0') end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return v
`;

/**
 * KEYS: prefix-ownership keys, shortest prefix first. ARGV[1]: owners to
 * return per key. Returns the newest owners of each key, stopping at the
 * first key nobody owns (a longer prefix cannot be held without it).
 */
export const PREFIX_MATCH_LUA = `
local out = {}
local n = tonumber(ARGV[1])
for i = 1, #KEYS do
  local owners = redis.call('ZREVRANGE', KEYS[i], 0, n - 1)
  if #owners == 0 then break end
  out[#out + 1] = owners
end
return out
`;

/**
 * KEYS: prefix-ownership keys. ARGV: deployment id, now (ms), TTL (ms),
 * owners kept per key. Scores are record times, so the oldest owners go first.
 */
export const PREFIX_RECORD_LUA = `
local keep = tonumber(ARGV[4])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[2], ARGV[1])
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(keep + 1))
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
return #KEYS
`;
