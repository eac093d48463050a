-- Deletes one key found by a purge, only if it is what the program layout puts there. Where programs sit under
-- their bare ids in a cache other applications share, their keys may look like program ids too: those stay.
-- KEYS[1] the key
-- ARGV[1] 'hash': delete it only if it is a hash holding a non-empty programId field (a program)
--         'marker': delete it only if it is a string holding a number (the version of a deletion)
-- Returns 1 when deleted, else 0.
local kind = redis.call('TYPE', KEYS[1])['ok']
if ARGV[1] == 'hash' then
  if kind == 'hash' then
    local programId = redis.call('HGET', KEYS[1], 'programId')
    if programId and programId ~= '' then
      return redis.call('DEL', KEYS[1])
    end
  end
elseif ARGV[1] == 'marker' then
  if kind == 'string' and tonumber(redis.call('GET', KEYS[1])) then
    return redis.call('DEL', KEYS[1])
  end
end
return 0
