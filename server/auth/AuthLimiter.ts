/**
 * The lockout and the rate limits on credentials (DESIGN.md §5, §6), with rate-limiter-flexible.
 * Every count is one atomic statement in a store all relay nodes share, so parallel guesses over
 * several nodes are counted exactly:
 *
 * - **account**: failed logins and wrong old passwords per username (known or not, any case), in the
 *   database (table `auth_limits`): a lost lockout would hand an attacker fresh guesses. An attempt
 *   reserves its point before the password is checked, so once the threshold is crossed every later
 *   attempt, the right password included, is refused unchecked (423).
 * - **address**: failed credentials per client address (429); a success gives its point back, so
 *   many people behind one address still sign in. Redis when configured (losing it costs little),
 *   else the database; the database also stands in while Redis is unreachable.
 * - **password change**: attempts per account, right or wrong (429).
 *
 * @example
 *   const attempt = await limiter.reserveAccount(username)
 *   if (!attempt.ok) throw lockedOut(attempt.retryAfterMs)
 *   if (!passwordMatches) await limiter.failedAccount(username, attempt)
 */
import type { Redis } from 'ioredis'
import {
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  RateLimiterSQLite,
} from 'rate-limiter-flexible'
import type { RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import type { Kysely } from 'kysely'
import type { AuthLimitSettings } from '../config'
import type { OpenDatabase } from '../storage/database'
import type { Database } from '../storage/schema'
import type { Logger } from '../logger'
import { AUTH_LIMITS_TABLE } from '../storage/authLimitsMigration'
import { requireWhenNeeded } from '../lazyRequire'

/** The answer to a reserved attempt: go ahead (with the count so far), or wait this long. */
export type Reservation =
  | { readonly ok: true; readonly consumed: number }
  | { readonly ok: false; readonly retryAfterMs: number }

/** How often expired counters are removed from the table (ms). */
const SWEEP_EVERY_MS = 5 * 60 * 1000

/** @returns the key of a username in the lockout count: usernames are unique without regard to case. */
export function usernameKey(username: string): string {
  return username.toLowerCase()
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}

/** Where the counters of one limiter live, and its thresholds. */
interface LimiterSpec {
  readonly keyPrefix: string
  readonly points: number
  readonly windowMs: number
}

/** Credential limits shared by every relay node. */
export class AuthLimiter {
  private readonly account: RateLimiterStoreAbstract
  private readonly address: RateLimiterStoreAbstract
  private readonly passwordChange: RateLimiterStoreAbstract
  private readonly redis: Redis | null
  private readonly sweepTimer: NodeJS.Timeout

  constructor(
    opened: OpenDatabase,
    private readonly settings: AuthLimitSettings,
    redis: { readonly url: string; readonly prefix: string } | null,
    private readonly logger: Logger,
  ) {
    const inDatabase = (spec: LimiterSpec): RateLimiterStoreAbstract => {
      const options = {
        keyPrefix: spec.keyPrefix,
        points: spec.points,
        duration: seconds(spec.windowMs),
        blockDuration: seconds(spec.windowMs),
        tableName: AUTH_LIMITS_TABLE,
        // Migration 011_auth_limits made it; expired rows are swept below.
        tableCreated: true,
        clearExpiredByTimeout: false,
      }
      return opened.native.dialect === 'postgres'
        ? new RateLimiterPostgres({
            ...options,
            storeClient: opened.native.pool,
            storeType: 'pool',
          })
        : new RateLimiterSQLite({
            ...options,
            storeClient: opened.native.connection,
            storeType: 'better-sqlite3',
          })
    }
    this.redis =
      redis === null
        ? null
        : new (requireWhenNeeded<{ Redis: typeof Redis }>('ioredis').Redis)(redis.url, {
            maxRetriesPerRequest: 1,
            enableOfflineQueue: false,
          })
    this.redis?.on('error', (error: Error) =>
      this.logger.warn('redis error (limits)', { error: String(error) }),
    )
    const shared = (spec: LimiterSpec): RateLimiterStoreAbstract =>
      this.redis === null || redis === null
        ? inDatabase(spec)
        : new RateLimiterRedis({
            storeClient: this.redis,
            keyPrefix: `${redis.prefix}:limits:${spec.keyPrefix}`,
            points: spec.points,
            duration: seconds(spec.windowMs),
            blockDuration: seconds(spec.windowMs),
            rejectIfRedisNotReady: true,
            insuranceLimiter: inDatabase(spec),
          })
    this.account = inDatabase({
      keyPrefix: 'login',
      points: settings.loginMaxFailures,
      windowMs: settings.loginLockoutMs,
    })
    this.address = shared({
      keyPrefix: 'address',
      points: settings.addressMaxFailures,
      windowMs: settings.addressWindowMs,
    })
    this.passwordChange = shared({
      keyPrefix: 'password',
      points: settings.passwordChangeMaxAttempts,
      windowMs: settings.passwordChangeWindowMs,
    })
    this.sweepTimer = setInterval(() => void this.sweep(opened.db), SWEEP_EVERY_MS)
    this.sweepTimer.unref()
  }

  /** Reserves a credential check on a username: refused (locked) once its failures reached the threshold. */
  reserveAccount(username: string): Promise<Reservation> {
    return reserve(this.account, usernameKey(username))
  }

  /**
   * Keeps a reserved attempt as a failure; the last allowed one locks the username.
   * @returns when the lock ends, if this failure placed it
   */
  async failedAccount(username: string, attempt: Reservation): Promise<number | null> {
    if (!attempt.ok || attempt.consumed < this.settings.loginMaxFailures) {
      return null
    }
    const blocked = await this.account.block(
      usernameKey(username),
      seconds(this.settings.loginLockoutMs),
    )
    return Date.now() + blocked.msBeforeNext
  }

  /** Forgets a username's failures and lock (a right password, an admin's reset). */
  async clearAccount(username: string): Promise<void> {
    await this.account.delete(usernameKey(username))
  }

  /** Reserves a credential check from a client address: refused once its failures reached the threshold. */
  reserveAddress(address: string): Promise<Reservation> {
    return reserve(this.address, address)
  }

  /** Gives a reserved address point back: the credentials were right. */
  async releaseAddress(address: string): Promise<void> {
    await this.address.reward(address, 1)
  }

  /** Counts a password change attempt of an account, right or wrong. */
  reservePasswordChange(userId: string): Promise<Reservation> {
    return reserve(this.passwordChange, userId)
  }

  /** Stops the sweep and closes the Redis connection. */
  async close(): Promise<void> {
    clearInterval(this.sweepTimer)
    await this.redis?.quit().catch(() => undefined)
  }

  private async sweep(db: Kysely<Database>): Promise<void> {
    try {
      await db
        .deleteFrom('auth_limits')
        .where('expire', '<', Date.now() - 60 * 60 * 1000)
        .execute()
    } catch (error) {
      this.logger.warn('auth limit sweep failed', { error: String(error) })
    }
  }
}

/**
 * Consumes one point atomically. A limiter refuses with a RateLimiterRes; any other rejection is a
 * store failure and propagates (the request fails rather than goes unchecked).
 */
async function reserve(limiter: RateLimiterStoreAbstract, key: string): Promise<Reservation> {
  try {
    const result = await limiter.consume(key, 1)
    return { ok: true, consumed: result.consumedPoints }
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) {
      return { ok: false, retryAfterMs: Math.max(refusal.msBeforeNext, 1000) }
    }
    throw refusal
  }
}
