-- Applies one program update atomically, unless Redis already holds a newer version of the program.
-- KEYS[1] the program hash, KEYS[2] its deletion marker (remembers the version of a deletion, so that an older
--         upsert replayed later cannot bring a deleted program back)
-- ARGV[1] version, ARGV[2] "1" for a deletion, ARGV[3] announcement channel, ARGV[4] program id,
-- ARGV[5] deletion marker time to live (seconds), ARGV[6..] field/value pairs of the hash
local incoming = tonumber(ARGV[1])
-- no hash, or a hash without a version (written by the reference architecture's updater): older than any update,
-- whose versions start at 0
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
local deleted = tonumber(redis.call('GET', KEYS[2]) or '-1')
if stored > incoming or deleted > incoming then
  return 0
end
if ARGV[2] == '1' then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], ARGV[1], 'EX', tonumber(ARGV[5]))
else
  redis.call('DEL', KEYS[1], KEYS[2])
  local fields = {}
  for i = 6, #ARGV do
    fields[#fields + 1] = ARGV[i]
  end
  redis.call('HSET', KEYS[1], unpack(fields))
end
if ARGV[3] ~= '' then
  redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return 1
