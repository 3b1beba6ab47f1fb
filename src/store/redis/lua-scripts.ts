/**
 * Lua scripts that make each write atomic on the Redis server: compare-and-set on the
 * resourceVersion, unique-index checks, index maintenance and the change notification all
 * happen in one step. Key names follow redis-keys.ts. `now` comes from the caller's clock.
 */

/** Shared helpers: a record is live if it exists and its `exp` has not passed. */
const PRELUDE = `
local function rkey(base, coll, id) return base .. 'r:' .. coll .. ':' .. id end
local function live(key, now)
  if redis.call('EXISTS', key) == 0 then return false end
  local exp = redis.call('HGET', key, 'exp')
  if exp and tonumber(exp) <= now then return false end
  return true
end
local function claims(key, setKey)
  return redis.call('HEXISTS', key, 'i:' .. setKey) == 1
end
local function drop(base, coll, id, key)
  local ix = redis.call('HGET', key, 'ix')
  if ix then
    for _, sk in ipairs(cjson.decode(ix)) do redis.call('SREM', sk, id) end
  end
  local em = redis.call('HGET', key, 'em')
  if em then redis.call('ZREM', base .. 'exp', em) end
  redis.call('DEL', key)
end
local function event(kind, coll, id, rv, value)
  local text = '{"type":"' .. kind .. '","collection":' .. cjson.encode(coll) .. ',"id":' ..
    cjson.encode(id) .. ',"resourceVersion":"' .. rv .. '"'
  if value then text = text .. ',"value":' .. value end
  return text .. '}'
end
`;

/**
 * KEYS[1] record key. ARGV: base, mode (create|update|import), collection, id, value JSON,
 * expected resourceVersion or '', expiresAt or '' (update: '' keeps the current expiry), now,
 * index entries JSON [[index, key, unique(0|1)], ...].
 * Returns {'OK', rv, expiresAt} or {'CONFLICT_ID'} / {'NOT_FOUND'} / {'CONFLICT_RV'} /
 * {'CONFLICT_UNIQUE', index, key}.
 */
export const WRITE_SCRIPT = `${PRELUDE}
local key = KEYS[1]
local base, mode, coll, id, value = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local expected, expat, now = ARGV[6], ARGV[7], tonumber(ARGV[8])
local entries = cjson.decode(ARGV[9])
if mode == 'update' then
  if not live(key, now) then return {'NOT_FOUND'} end
  if expected ~= '' and expected ~= redis.call('HGET', key, 'rv') then return {'CONFLICT_RV'} end
  if expat == '' then expat = redis.call('HGET', key, 'exp') or '' end
elseif live(key, now) then
  return {'CONFLICT_ID'}
end
local sets = {}
for i, e in ipairs(entries) do
  local sk = base .. 'ix:' .. coll .. ':' .. e[1] .. ':' .. e[2]
  sets[i] = sk
  if e[3] == 1 then
    for _, other in ipairs(redis.call('SMEMBERS', sk)) do
      if other ~= id then
        local ok = rkey(base, coll, other)
        if claims(ok, sk) then
          if live(ok, now) then return {'CONFLICT_UNIQUE', e[1], e[2]} end
        else
          redis.call('SREM', sk, other)
        end
      end
    end
  end
end
if redis.call('EXISTS', key) == 1 then drop(base, coll, id, key) end
local rv = tostring(redis.call('INCR', base .. 'rv'))
local fields = {'v', value, 'rv', rv, 'ix', cjson.encode(sets)}
for _, sk in ipairs(sets) do
  fields[#fields + 1] = 'i:' .. sk
  fields[#fields + 1] = '1'
  redis.call('SADD', sk, id)
end
if expat ~= '' then
  local em = cjson.encode({coll, id, rv, sets})
  fields[#fields + 1] = 'exp'
  fields[#fields + 1] = expat
  fields[#fields + 1] = 'em'
  fields[#fields + 1] = em
  redis.call('ZADD', base .. 'exp', expat, em)
end
redis.call('HSET', key, unpack(fields))
if expat ~= '' then redis.call('PEXPIREAT', key, expat) end
redis.call('ZADD', base .. 'ids:' .. coll, 0, id)
redis.call('SADD', base .. 'colls', coll)
if mode ~= 'import' then
  local kind = 'updated'
  if mode == 'create' then kind = 'created' end
  redis.call('PUBLISH', base .. 'changes', event(kind, coll, id, rv, value))
end
return {'OK', rv, expat}
`;

/**
 * KEYS[1] record key. ARGV: base, collection, id, expected resourceVersion or '', now.
 * Returns {'OK', rv} / {'NOT_FOUND'} / {'CONFLICT_RV'}.
 */
export const DELETE_SCRIPT = `${PRELUDE}
local key = KEYS[1]
local base, coll, id, expected, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if not live(key, now) then return {'NOT_FOUND'} end
if expected ~= '' and expected ~= redis.call('HGET', key, 'rv') then return {'CONFLICT_RV'} end
local value = redis.call('HGET', key, 'v')
drop(base, coll, id, key)
redis.call('ZREM', base .. 'ids:' .. coll, id)
local rv = tostring(redis.call('INCR', base .. 'rv'))
redis.call('PUBLISH', base .. 'changes', event('deleted', coll, id, rv, value))
return {'OK', rv}
`;

/**
 * KEYS[1] index set. ARGV: base, collection, now, limit (0 = all).
 * Returns a flat list id, value, rv, exp ... of live records in id order; drops dangling ids.
 */
export const LIST_INDEX_SCRIPT = `${PRELUDE}
local sk = KEYS[1]
local base, coll, now, limit = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = redis.call('SMEMBERS', sk)
table.sort(ids)
local out, count = {}, 0
for _, id in ipairs(ids) do
  local key = rkey(base, coll, id)
  if not claims(key, sk) then
    redis.call('SREM', sk, id)
  elseif live(key, now) then
    local f = redis.call('HMGET', key, 'v', 'rv', 'exp')
    out[#out + 1] = id
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[3] or ''
    count = count + 1
    if limit > 0 and count >= limit then break end
  end
end
return out
`;

/**
 * KEYS[1] ids sorted set. ARGV: base, collection, id prefix, now, limit (0 = all).
 * Returns a flat list id, value, rv, exp ... in id order; drops ids whose record is gone.
 */
export const LIST_PREFIX_SCRIPT = `${PRELUDE}
local idsKey = KEYS[1]
local base, coll, prefix = ARGV[1], ARGV[2], ARGV[3]
local now, limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local min, max = '-', '+'
if prefix ~= '' then min, max = '[' .. prefix, '(' .. prefix .. '\\255' end
local out, count = {}, 0
for _, id in ipairs(redis.call('ZRANGEBYLEX', idsKey, min, max)) do
  local key = rkey(base, coll, id)
  if redis.call('EXISTS', key) == 0 then
    redis.call('ZREM', idsKey, id)
  elseif live(key, now) then
    local f = redis.call('HMGET', key, 'v', 'rv', 'exp')
    out[#out + 1] = id
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[3] or ''
    count = count + 1
    if limit > 0 and count >= limit then break end
  end
end
return out
`;

/**
 * KEYS[1] expiry sorted set. ARGV: base, now, batch size.
 * Removes up to `batch` expired records (whether or not Redis already dropped the hash),
 * cleans their index entries and publishes a 'deleted' event for each. Returns the count.
 */
export const SWEEP_SCRIPT = `${PRELUDE}
local expKey = KEYS[1]
local base, now, batch = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', expKey, '-inf', ARGV[2], 'LIMIT', 0, batch)
local count = 0
for _, em in ipairs(due) do
  redis.call('ZREM', expKey, em)
  local m = cjson.decode(em)
  local coll, id, rv, sets = m[1], m[2], m[3], m[4]
  local key = rkey(base, coll, id)
  local current = redis.call('HGET', key, 'rv')
  if current == rv or not current then
    local value = nil
    if current then value = redis.call('HGET', key, 'v') end
    redis.call('DEL', key)
    for _, sk in ipairs(sets) do redis.call('SREM', sk, id) end
    redis.call('ZREM', base .. 'ids:' .. coll, id)
    local nrv = tostring(redis.call('INCR', base .. 'rv'))
    redis.call('PUBLISH', base .. 'changes', event('deleted', coll, id, nrv, value))
    count = count + 1
  else
    for _, sk in ipairs(sets) do
      if not claims(key, sk) then redis.call('SREM', sk, id) end
    end
  end
end
return count
`;
