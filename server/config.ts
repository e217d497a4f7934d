/** Relay configuration, read from the environment (DESIGN.md §6). */
import path from 'node:path'

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
   * Origins whose pages may open sync sockets besides the relay's own (its web client and the
   * desktop window, which loads that web client), e.g. a portal that embeds the editor. Normalised.
   */
  readonly allowedOrigins: readonly string[]
}

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
    allowedOrigins: parseOrigins(env.QILU_ALLOWED_ORIGINS ?? ''),
  }
}

/**
 * @returns the origins of a comma-separated list, normalised (`https://OA.gov.cn:443` →
 * `https://oa.gov.cn`)
 * @throws Error when an entry is not an http(s) origin (scheme, host, optional port, nothing else)
 */
function parseOrigins(list: string): string[] {
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
          `QILU_ALLOWED_ORIGINS must list http(s) origins like https://oa.example.gov.cn, got ${JSON.stringify(entry)}`,
        )
      }
      return url.origin
    })
}
