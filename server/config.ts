/** Relay configuration, read from the environment (DESIGN.md §6). */
import path from 'node:path'

/** Thresholds of the login lockout and the rate limits on credentials (DESIGN.md §6 "Rate limits"). */
export interface AuthLimitSettings {
  /** Wrong passwords (or activation codes) on one username before it is locked (423). */
  readonly loginMaxFailures: number
  /** How long those failures are counted, and how long the lock then lasts (ms). */
  readonly loginLockoutMs: number
  /** Failed logins and password changes from one client address before it gets 429. */
  readonly addressMaxFailures: number
  /** The window of the per-address count, and how long its 429 lasts (ms). */
  readonly addressWindowMs: number
  /** Password change attempts (right or wrong) per account in a window before 429. */
  readonly passwordChangeMaxAttempts: number
  /** The window of the password change count (ms). */
  readonly passwordChangeWindowMs: number
}

/** The defaults of AuthLimitSettings: 5 failures lock for 15 minutes; 100 failures per address per 15 minutes. */
export const DEFAULT_AUTH_LIMITS: AuthLimitSettings = {
  loginMaxFailures: 5,
  loginLockoutMs: 15 * 60 * 1000,
  addressMaxFailures: 100,
  addressWindowMs: 15 * 60 * 1000,
  passwordChangeMaxAttempts: 10,
  passwordChangeWindowMs: 15 * 60 * 1000,
}

/** Everything the relay needs to start. */
export interface QiluConfig {
  /** Interface to listen on. */
  readonly host: string
  /** Port to listen on; 0 picks a free one (tests). */
  readonly port: number
  /** Folder for the embedded SQLite file and other local state. */
  readonly dataDir: string
  /** A postgres:// URL switches storage to PostgreSQL. */
  readonly databaseUrl: string | null
  /** A redis:// URL enables fan-out between relay nodes. */
  readonly redisUrl: string | null
  /** Prefix of the Redis channels, so several deployments can share one Redis. */
  readonly redisPrefix: string
  /** Password of the `admin` account created on first start; null prints a one-time password. */
  readonly adminPassword: string | null
  /** Folder holding the built web client, served at `/`; null serves no client. */
  readonly webRoot: string | null
  /** Idle time after which a session expires (ms). */
  readonly sessionIdleMs: number
  /** Silences the request log (tests, benchmarks). */
  readonly quiet: boolean
  /**
   * The audit chain's HMAC-SM3 key, hex (at least 32 bytes); null or absent: `<dataDir>/audit.key`,
   * created on first start. Every node on one database needs the same key.
   */
  readonly auditKey?: string | null
  /** The relay's SM2 private key, hex; null or absent: `<dataDir>/relay-sm2.key`, created on first start. */
  readonly relayKey?: string | null
  /** Append-only file of the signed audit checkpoints; null or absent: `<dataDir>/audit-checkpoints.jsonl`. */
  readonly auditCheckpointFile?: string | null
  /**
   * Addresses and CIDR subnets allowed to read `/metrics` (`QILU_METRICS_ALLOW`, comma-separated);
   * loopback only when unset.
   */
  readonly metricsAllow?: readonly string[]
  /** Lockout and rate limit thresholds. */
  readonly authLimits: AuthLimitSettings
  /**
   * Origins whose pages may open sync sockets besides the relay's own (its web client and the
   * desktop window, which loads that web client), e.g. a portal that embeds the editor. Normalised.
   */
  readonly allowedOrigins: readonly string[]
  /**
   * The public origins of every relay node of this deployment, this one included (`QILU_NODES`,
   * comma-separated, e.g. `https://oa1.example.gov.cn,https://oa2.example.gov.cn`). Advertised by
   * `GET /api/v1/health` so that clients reconnect to another node when theirs goes away, and let
   * through the origin check (a page served by one node syncs with the others). Normalised.
   */
  readonly nodes?: readonly string[]
  /**
   * How long a meeting sign-in token lives (`QILU_CHECKIN_TOKEN_TTL_S`, seconds): default 60, at
   * most 120 (DESIGN.md §8).
   */
  readonly checkinTokenTtlS?: number
  /**
   * 发文复核: whether a change of punctuation or whitespace only after 签发 leaves the 签发 in place
   * (`QILU_REVIEW_IGNORE_PUNCTUATION`, `1` or `0`; default on). Off: any change of the content
   * digest re-opens the 签发.
   */
  readonly reviewIgnorePunctuation?: boolean
}

/** Default and ceiling of QILU_CHECKIN_TOKEN_TTL_S. */
export const CHECKIN_TOKEN_TTL_S = { default: 60, max: 120 } as const

/** @returns a positive integer from the environment, or the default. @throws when it is not one */
function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') {
    return fallback
  }
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${raw}`)
  }
  return value
}

/** @returns the audit checkpoint file of a configuration. */
export function auditCheckpointFile(
  config: Pick<QiluConfig, 'dataDir' | 'auditCheckpointFile'>,
): string {
  return config.auditCheckpointFile ?? path.join(config.dataDir, 'audit-checkpoints.jsonl')
}

/** Who may read `/metrics` when `QILU_METRICS_ALLOW` is not set. */
export const DEFAULT_METRICS_ALLOW: readonly string[] = ['127.0.0.1', '::1']

/** @returns the configuration from environment variables, with §6 defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): QiluConfig {
  const port = Number(env.QILU_PORT ?? '8080')
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`QILU_PORT must be a port number, got ${env.QILU_PORT}`)
  }
  return {
    host: env.QILU_HOST ?? '127.0.0.1',
    port,
    dataDir: path.resolve(env.QILU_DATA_DIR ?? './data'),
    databaseUrl: env.QILU_DATABASE_URL || null,
    redisUrl: env.QILU_REDIS_URL || null,
    redisPrefix: env.QILU_REDIS_PREFIX || 'qilu',
    adminPassword: env.QILU_ADMIN_PASSWORD || null,
    webRoot: path.resolve(env.QILU_WEB_ROOT ?? './out/renderer'),
    sessionIdleMs: Number(env.QILU_SESSION_IDLE_MS ?? 8 * 60 * 60 * 1000),
    quiet: env.QILU_QUIET === '1',
    auditKey: env.QILU_AUDIT_KEY || null,
    relayKey: env.QILU_RELAY_KEY || null,
    auditCheckpointFile: env.QILU_AUDIT_CHECKPOINT_FILE
      ? path.resolve(env.QILU_AUDIT_CHECKPOINT_FILE)
      : null,
    metricsAllow: env.QILU_METRICS_ALLOW
      ? env.QILU_METRICS_ALLOW.split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry !== '')
      : DEFAULT_METRICS_ALLOW,
    authLimits: {
      loginMaxFailures: positive(
        env,
        'QILU_LOGIN_MAX_FAILURES',
        DEFAULT_AUTH_LIMITS.loginMaxFailures,
      ),
      loginLockoutMs: positive(env, 'QILU_LOGIN_LOCKOUT_MS', DEFAULT_AUTH_LIMITS.loginLockoutMs),
      addressMaxFailures: positive(
        env,
        'QILU_LOGIN_ADDRESS_MAX_FAILURES',
        DEFAULT_AUTH_LIMITS.addressMaxFailures,
      ),
      addressWindowMs: positive(
        env,
        'QILU_LOGIN_ADDRESS_WINDOW_MS',
        DEFAULT_AUTH_LIMITS.addressWindowMs,
      ),
      passwordChangeMaxAttempts: positive(
        env,
        'QILU_PASSWORD_CHANGE_MAX_ATTEMPTS',
        DEFAULT_AUTH_LIMITS.passwordChangeMaxAttempts,
      ),
      passwordChangeWindowMs: positive(
        env,
        'QILU_PASSWORD_CHANGE_WINDOW_MS',
        DEFAULT_AUTH_LIMITS.passwordChangeWindowMs,
      ),
    },
    allowedOrigins: parseOrigins(env.QILU_ALLOWED_ORIGINS ?? ''),
    nodes: parseOrigins(env.QILU_NODES ?? '', 'QILU_NODES'),
    checkinTokenTtlS: checkinTtl(env),
    reviewIgnorePunctuation: flag(env, 'QILU_REVIEW_IGNORE_PUNCTUATION', true),
  }
}

/** @returns a `1`/`0` switch from the environment, or the default. @throws on any other value */
function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') {
    return fallback
  }
  if (raw === '1' || raw === '0') {
    return raw === '1'
  }
  throw new Error(`${name} must be 1 or 0, got ${raw}`)
}

/**
 * @returns the origins of a comma-separated list, normalised (`https://OA.gov.cn:443` →
 * `https://oa.gov.cn`)
 * @throws Error when an entry is not an http(s) origin (scheme, host, optional port, nothing else)
 */
function parseOrigins(list: string, name = 'QILU_ALLOWED_ORIGINS'): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      let url: URL | null = null
      try {
        url = new URL(entry)
      } catch {
        // reported below
      }
      const origin =
        url !== null &&
        /^https?:$/.test(url.protocol) &&
        url.username === '' &&
        url.password === '' &&
        url.pathname === '/' &&
        url.search === '' &&
        url.hash === ''
      if (url === null || !origin) {
        throw new Error(
          `${name} must list http(s) origins like https://oa.example.gov.cn, got ${JSON.stringify(entry)}`,
        )
      }
      return url.origin
    })
}

/** @returns QILU_CHECKIN_TOKEN_TTL_S. @throws when it is not an integer in 1..120 */
function checkinTtl(env: NodeJS.ProcessEnv): number {
  const value = positive(env, 'QILU_CHECKIN_TOKEN_TTL_S', CHECKIN_TOKEN_TTL_S.default)
  if (value > CHECKIN_TOKEN_TTL_S.max) {
    throw new Error(
      `QILU_CHECKIN_TOKEN_TTL_S must be at most ${CHECKIN_TOKEN_TTL_S.max}, got ${value}`,
    )
  }
  return value
}
