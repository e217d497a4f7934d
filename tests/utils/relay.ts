/** Starts real relays for tests: port 0, a temporary data folder, SQLite or a fresh PostgreSQL database. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { startRelay } from '../../server/app'
import type { RelayTuning, RunningRelay } from '../../server/app'
import { DEFAULT_AUTH_LIMITS } from '../../server/config'
import type { AuthLimitSettings, QiluConfig } from '../../server/config'
import type { Logger } from '../../server/logger'
import type { VersionTiming } from '../../server/services/VersionService'
import type { CheckpointTiming } from '../../server/audit/AuditCheckpointer'
import { createLogger } from '../../server/logger'
import { captureFile, noteSecrets } from './logCapture'

/** The admin password every test relay is started with. */
export const ADMIN_PASSWORD = 'Qilu#Root2026'
/** A password that meets the policy, for test accounts. */
export const USER_PASSWORD = 'Qilu#2026pass'
/**
 * The audit key of test relays unless a test asks for the key file: nodes on one database must
 * share it (as deployments configure QILU_AUDIT_KEY on every node).
 */
export const TEST_AUDIT_KEY = 'a1'.repeat(32)
/** PostgreSQL server of this machine (trust auth). */
export const PG_ADMIN_URL =
  process.env.QILU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A test relay with what the test needs to reach it. */
export interface TestRelay extends RunningRelay {
  readonly dataDir: string
  readonly wsUrl: string
  readonly config: QiluConfig
}

/** Options of startTestRelay. */
export interface TestRelayOptions {
  readonly dataDir?: string
  readonly databaseUrl?: string | null
  readonly webRoot?: string | null
  readonly unloadDelayMs?: number
  readonly port?: number
  readonly redisUrl?: string | null
  readonly redisPrefix?: string
  /** When automatic document versions are taken (the relay's defaults otherwise). */
  readonly versions?: VersionTiming
  /** Debounce of the search index after a document is stored (ms). */
  readonly searchDelayMs?: number
  /** The relay's logger (quiet JSON lines otherwise). */
  readonly logger?: Logger
  /** The audit key, hex: TEST_AUDIT_KEY when absent, the data folder's key file when null. */
  readonly auditKey?: string | null
  /** The relay's SM2 private key, hex: the data folder's key file when absent or null. */
  readonly relayKey?: string | null
  /** When audit checkpoints are taken (the relay's defaults otherwise). */
  readonly auditCheckpoints?: Partial<CheckpointTiming>
  /** The checkpoint file (in the data folder otherwise). */
  readonly auditCheckpointFile?: string
  /** The update log's write path (the relay's defaults otherwise). */
  readonly persistence?: RelayTuning['persistence']
  /** Lockout and rate limit thresholds that differ from the defaults. */
  readonly authLimits?: Partial<AuthLimitSettings>
  /** Idle time after which a session expires (ms; 1 hour otherwise). */
  readonly sessionIdleMs?: number
  /** Origins let through besides the relay's own (QILU_ALLOWED_ORIGINS). */
  readonly allowedOrigins?: readonly string[]
  /** The origins of every node of the deployment (QILU_NODES), advertised by /health. */
  readonly nodes?: readonly string[]
  /** Approval set-up (devices, delegations, flows, forms, 机关代字); the built-ins otherwise. */
  readonly approvalSetup?: RelayTuning['approvalSetup']
  /** Debounce of 发文复核 after a document is stored (ms). */
  readonly reviewDelayMs?: number
  /** 发文复核 ignores punctuation-only changes (QILU_REVIEW_IGNORE_PUNCTUATION; on by default). */
  readonly reviewIgnorePunctuation?: boolean
}

/**
 * Starts a relay on 127.0.0.1:0 with a fresh (or the given) data folder. A fresh folder is removed
 * when the relay closes; a given one is the caller's to keep or remove.
 */
export async function startTestRelay(options: TestRelayOptions = {}): Promise<TestRelay> {
  const fresh = options.dataDir === undefined
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-test-'))
  const config: QiluConfig = {
    host: '127.0.0.1',
    port: options.port ?? 0,
    dataDir,
    databaseUrl: options.databaseUrl ?? null,
    redisUrl: options.redisUrl ?? null,
    redisPrefix: options.redisPrefix ?? 'qilu-test',
    adminPassword: ADMIN_PASSWORD,
    webRoot: options.webRoot ?? null,
    sessionIdleMs: options.sessionIdleMs ?? 60 * 60 * 1000,
    quiet: true,
    auditKey: options.auditKey === undefined ? TEST_AUDIT_KEY : options.auditKey,
    relayKey: options.relayKey ?? null,
    auditCheckpointFile: options.auditCheckpointFile ?? null,
    authLimits: { ...DEFAULT_AUTH_LIMITS, ...options.authLimits },
    allowedOrigins: options.allowedOrigins ?? [],
    nodes: options.nodes ?? [],
    ...(options.reviewIgnorePunctuation === undefined
      ? {}
      : { reviewIgnorePunctuation: options.reviewIgnorePunctuation }),
  }
  const running = await startRelay(config, {
    unloadDelayMs: options.unloadDelayMs ?? 200,
    ...(options.versions === undefined ? {} : { versions: options.versions }),
    ...(options.searchDelayMs === undefined ? {} : { searchDelayMs: options.searchDelayMs }),
    ...(options.auditCheckpoints === undefined
      ? {}
      : { auditCheckpoints: options.auditCheckpoints }),
    ...(options.persistence === undefined ? {} : { persistence: options.persistence }),
    ...(options.approvalSetup === undefined ? {} : { approvalSetup: options.approvalSetup }),
    ...(options.reviewDelayMs === undefined ? {} : { reviewDelayMs: options.reviewDelayMs }),
    // Every record goes to the run's log capture (scanned for secrets at the end); errors also to
    // the console.
    logger: options.logger ?? createLogger({ quiet: true, capture: captureFile() }),
  })
  // The audit key and the relay's private key must never reach a log either.
  const keyFile = (name: string): string | null => {
    const file = path.join(dataDir, name)
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null
  }
  noteSecrets(config.auditKey ?? keyFile('audit.key'), config.relayKey ?? keyFile('relay-sm2.key'))
  return {
    ...running,
    dataDir,
    config,
    wsUrl: `${running.url.replace('http', 'ws')}/sync`,
    async close() {
      await running.close()
      if (fresh) {
        fs.rmSync(dataDir, { recursive: true, force: true })
      }
    },
  }
}

/** A PostgreSQL database made for one test file, dropped by `drop`. */
export interface TestDatabase {
  readonly url: string
  drop(): Promise<void>
}

/** Creates an empty PostgreSQL database on this machine's server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `qilu_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

/** A small typed client of the HTTP API for tests and benchmarks. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
  ) {}

  /** Sends a request. @returns status and parsed JSON body (null for 204). */
  async request<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {}
    if (this.token !== null) {
      headers.authorization = `Bearer ${this.token}`
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
    }
    const response = await fetch(`${this.baseUrl}/api/v1${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    const parsed: unknown = text === '' ? null : JSON.parse(text)
    notePayloadSecrets(body)
    notePayloadSecrets(parsed)
    return { status: response.status, body: parsed as T }
  }

  /** Logs in. @returns a client carrying the token, and the user id. */
  async login(
    username: string,
    password: string,
  ): Promise<{ api: ApiClient; userId: string; token: string }> {
    const { status, body } = await this.request<{ token: string; user: { id: string } }>(
      'POST',
      '/auth/login',
      {
        username,
        password,
      },
    )
    if (status !== 200) {
      throw new Error(`login ${username} failed: ${status} ${JSON.stringify(body)}`)
    }
    return { api: new ApiClient(this.baseUrl, body.token), userId: body.user.id, token: body.token }
  }

  /** Creates a user with USER_PASSWORD (as admin) and logs them in. */
  async createUser(
    username: string,
    displayName = username,
  ): Promise<{ api: ApiClient; userId: string; token: string }> {
    const { status, body } = await this.request('POST', '/admin/users', {
      username,
      displayName,
      password: USER_PASSWORD,
    })
    if (status !== 201) {
      throw new Error(`create user ${username} failed: ${status} ${JSON.stringify(body)}`)
    }
    return new ApiClient(this.baseUrl).login(username, USER_PASSWORD)
  }

  /** Creates a document. @returns its id. */
  async createDocument(title: string): Promise<string> {
    const { status, body } = await this.request<{ id: string }>('POST', '/documents', { title })
    if (status !== 201) {
      throw new Error(`create document failed: ${status}`)
    }
    return body.id
  }

  /** Grants a member role. */
  async share(
    documentId: string,
    userId: string,
    role: 'editor' | 'commenter' | 'reader',
  ): Promise<void> {
    const { status } = await this.request('PUT', `/documents/${documentId}/members/${userId}`, {
      role,
    })
    if (status !== 200) {
      throw new Error(`share failed: ${status}`)
    }
  }
}

/** Notes the passwords, tokens and activation codes in a request or response body (logCapture). */
function notePayloadSecrets(payload: unknown): void {
  if (typeof payload !== 'object' || payload === null) {
    return
  }
  const record = payload as Record<string, unknown>
  const secrets = ['password', 'oldPassword', 'newPassword', 'token', 'activationCode'].map(
    (key) => (typeof record[key] === 'string' ? record[key] : null),
  )
  noteSecrets(...secrets)
}

/** Logs in as admin on a relay. */
export async function adminClient(relay: { url: string }): Promise<ApiClient> {
  return (await new ApiClient(relay.url).login('admin', ADMIN_PASSWORD)).api
}
