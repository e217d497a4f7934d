/**
 * First claims of a presence client id, made in Redis (RedisExtension.claimPresence): a node that
 * never saw a colleague's presence still refuses their id to someone else. Redis slow or away, the
 * node's own memory decides (it has already allowed the claim).
 */
import type { Redis } from 'ioredis'

/** How long Redis remembers a presence claim after the client id was last claimed (s). */
const PRESENCE_CLAIM_TTL_S = 24 * 60 * 60
/** Longest wait for Redis on a presence claim before this node decides alone (ms). */
const PRESENCE_CLAIM_TIMEOUT_MS = 1000
/** Returns the owner of a client id in a room, claiming it for ARGV[2] when it has none. */
const CLAIM_SCRIPT = `
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if not owner then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  owner = ARGV[2]
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return owner`

/**
 * @returns whether `userId` owns `clientId` in the room's hash `key` (claiming it when nobody does);
 *   true when Redis does not answer in time or fails (`warn` hears why)
 */
export async function claimInRedis(
  redis: Redis,
  key: string,
  clientId: number,
  userId: string,
  warn: (message: string, error?: string) => void,
): Promise<boolean> {
  const claim = redis.eval(
    CLAIM_SCRIPT,
    1,
    key,
    String(clientId),
    userId,
    String(PRESENCE_CLAIM_TTL_S),
  )
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PRESENCE_CLAIM_TIMEOUT_MS)
  })
  try {
    const owner = await Promise.race([claim, timeout])
    if (owner === null) {
      warn('presence claim unanswered by redis')
      return true
    }
    return owner === userId
  } catch (error) {
    warn('presence claim failed', String(error))
    return true
  } finally {
    clearTimeout(timer)
    claim.catch(() => {})
  }
}
