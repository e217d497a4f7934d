/** Wires the relay: storage, services, extensions, HTTP routes and the WebSocket upgrade path. */
import fs from 'node:fs'
import path from 'node:path'
import Fastify from 'fastify'
import type { FastifyError } from 'fastify'
import type { QiluConfig } from './config'
import { createLogger } from './logger'
import type { Logger } from './logger'
import { openDatabase } from './storage/database'
import { KyselyStorage } from './storage/Storage'
import type { Storage } from './storage/Storage'
import { AccountService } from './services/AccountService'
import { DocumentService } from './services/DocumentService'
import type { RelayControl } from './services/control'
import { Relay } from './relay/Relay'
import { AuthExtension } from './extensions/AuthExtension'
import { LimitsExtension } from './extensions/LimitsExtension'
import { DocumentPolicyExtension } from './extensions/DocumentPolicyExtension'
import { LoggerExtension } from './extensions/LoggerExtension'
import { MetricsExtension } from './extensions/MetricsExtension'
import { PersistenceExtension } from './extensions/PersistenceExtension'
import { RedisExtension } from './extensions/RedisExtension'
import { RefusalAuditExtension } from './extensions/RefusalAuditExtension'
import { CloseEvents } from '../shared/protocol/closeEvents'
import { docRoom, parseRoom } from '../shared/protocol/rooms'
import { ApiError } from './errors'
import { authRoutes } from './http/authRoutes'
import { userRoutes } from './http/userRoutes'
import { adminRoutes } from './http/adminRoutes'
import { AuditService } from './audit/AuditService'
import { RefusalAuditor } from './audit/RefusalAuditor'
import { OrgService } from './services/OrgService'
import { AdminService } from './services/AdminService'
import { DirectoryService } from './services/DirectoryService'
import { ImportService } from './imports/ImportService'
import { importRoutes } from './http/importRoutes'
import { auditRoutes } from './http/auditRoutes'
import { directoryRoutes } from './http/directoryRoutes'
import { documentRoutes } from './http/documentRoutes'
import { versionRoutes } from './http/versionRoutes'
import { VersionStore } from './storage/VersionStore'
import { AuthorService } from './services/AuthorService'
import { VersionService } from './services/VersionService'
import type { VersionTiming } from './services/VersionService'
import { VersionExtension } from './extensions/VersionExtension'
import { SearchStore } from './storage/SearchStore'
import { SearchService } from './services/SearchService'
import { InboxStore } from './storage/InboxStore'
import { InboxService } from './services/InboxService'
import { MentionExtension } from './extensions/MentionExtension'
import { inboxRoutes } from './http/inboxRoutes'
import { wantsShell, webClient } from './http/webClient'
import type { HttpContext } from './http/context'

/** A running relay. */
export interface RunningRelay {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string
  readonly port: number
  readonly storage: Storage
  readonly relay: Relay
  readonly audit: AuditService
  /** De-duplicated audit of the relay's refusals (DESIGN.md §3). */
  readonly refusals: RefusalAuditor
  /** The document policy (commenter and classification checks), with its timing counters. */
  readonly policy: DocumentPolicyExtension
  /** Flushes every room and stops. */
  close(): Promise<void>
}

/** Tuning that tests and benchmarks may change. */
export interface RelayTuning {
  readonly unloadDelayMs?: number
  readonly logger?: Logger
  /** When automatic versions are taken (defaults: 2 min quiet, at most one per 10 min). */
  readonly versions?: VersionTiming
  /** How long the search index waits after a document is stored before it re-reads it (ms). */
  readonly searchDelayMs?: number
}

/** Starts the relay on `config.host:config.port`. */
export async function startRelay(
  config: QiluConfig,
  tuning: RelayTuning = {},
): Promise<RunningRelay> {
  const logger = tuning.logger ?? createLogger({ quiet: config.quiet })
  const opened = openDatabase({ ...config, logger })
  const storage = new KyselyStorage(opened)
  await storage.migrate()
  // Start the update log's worker now, so the first document opened does not wait for it.
  await storage.roomLog.ready()

  // The relay and the services refer to each other through RelayControl; `relay` is set below.
  let relay: Relay | null = null
  let auth: AuthExtension | null = null
  const localControl: RelayControl = {
    sessionEnded: (tokenHash) => {
      relay?.closeWhere((c) => c.identity.tokenHash === tokenHash, CloseEvents.unauthorized)
    },
    userDeactivated: (userId) => {
      relay?.closeWhere((c) => c.identity.userId === userId, CloseEvents.deactivated)
    },
    memberChanged: (documentId, userId) => {
      const room = docRoom(documentId)
      const parsed = parseRoom(room)
      for (const connection of relay?.connectionsOf(userId, room) ?? []) {
        if (parsed === null || auth === null) {
          continue
        }
        // userId may be EVERY_MEMBER: always re-check the socket's own user.
        void auth
          .access(parsed, connection.identity.userId, connection.identity.roles)
          .then((access) => {
            if (access === 'none') {
              connection.close(CloseEvents.forbidden)
            } else {
              connection.access = access
            }
          })
      }
    },
  }

  const redis =
    config.redisUrl === null
      ? null
      : new RedisExtension(config.redisUrl, config.redisPrefix, logger)
  const control = redis === null ? localControl : redis.wrapControl(localControl)
  const audit = new AuditService(storage.audit, logger)
  const refusals = new RefusalAuditor(audit, logger)
  const accounts = new AccountService(storage, control, audit, config.sessionIdleMs)
  const documents = new DocumentService(storage, control, audit)
  const org = new OrgService(storage, audit)
  // A single node sees every change it must index; with several nodes, the others' changes are
  // picked up when the search index expires.
  const directory = new DirectoryService(storage, logger, redis === null ? Infinity : 30_000)
  const versionStore = new VersionStore(opened.db)
  const authorship = new AuthorService(versionStore, logger)
  const versions = new VersionService(
    storage,
    versionStore,
    authorship,
    audit,
    logger,
    tuning.versions,
  )
  const searchStore = new SearchStore(opened.db, opened.dialect)
  const search = new SearchService(storage, searchStore, logger, tuning.searchDelayMs)
  const inbox = new InboxService(storage, new InboxStore(opened.db), logger)
  const admin = new AdminService(storage, accounts, org, audit, control, directory)
  const imports = new ImportService(storage, audit, logger, directory)
  const metrics = new MetricsExtension()
  const policy = new DocumentPolicyExtension(audit, logger)
  auth = new AuthExtension(accounts, storage)
  const touched = new Map<string, number>()
  const persistence = new PersistenceExtension(storage, logger, undefined, (room) => {
    const parsed = parseRoom(room)
    const now = Date.now()
    // documents.updated_at feeds the list's sort order; once a minute per document is plenty.
    if (parsed?.kind === 'doc') {
      search.schedule(parsed.id)
    }
    if (parsed?.kind === 'doc' && now - (touched.get(room) ?? 0) > 60_000) {
      touched.set(room, now)
      void documents.touch(parsed.id).catch(() => {})
    }
  })
  relay = new Relay(
    [
      auth,
      // Before the limits, so a reader's write is audited even when the flood is cut short.
      new RefusalAuditExtension(refusals),
      new LimitsExtension(),
      metrics,
      policy,
      // Persistence loads a room before Redis asks the other nodes for what it lacks.
      persistence,
      new VersionExtension(versions, authorship, logger),
      new MentionExtension(inbox, logger),
      ...(redis === null ? [] : [redis]),
      new LoggerExtension(logger),
    ],
    logger,
    {
      unloadDelayMs: tuning.unloadDelayMs ?? 10_000,
      pingIntervalMs: 30_000,
      allowedOrigins: config.allowedOrigins,
      refusals,
    },
  )

  await redis?.start(relay)

  const oneTimePassword = await accounts.bootstrapAdmin(config.adminPassword)
  if (oneTimePassword !== null) {
    // Printed once, on the first start only: the operator must note it down.
    logger.warn('admin account created with a one-time password; change it at first login', {
      username: 'admin',
      password: oneTimePassword,
    })
  }

  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 200 },
  })
  app.setErrorHandler((error: FastifyError | ApiError, _request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.status).send({ error: { code: error.code, message: error.message } })
    }
    const status =
      typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) {
      logger.error('request failed', { error: String(error), stack: error.stack })
      return reply
        .code(500)
        .send({ error: { code: 'internal', message: '服务器内部错误 (internal error)' } })
    }
    return reply
      .code(status)
      .send({ error: { code: 'bad_request', message: `请求无效 (${error.message})` } })
  })
  app.get('/api/v1/health', async () => ({ status: 'ok' }))
  directory.attach(relay)
  versions.attach(relay)
  search.attach(relay)
  inbox.attach(relay)
  const context: HttpContext = {
    storage,
    accounts,
    documents,
    metrics,
    audit,
    org,
    admin,
    imports,
    directory,
    versions,
    search,
    inbox,
  }
  authRoutes(app, context)
  userRoutes(app, context)
  adminRoutes(app, context)
  importRoutes(app, context)
  auditRoutes(app, context)
  directoryRoutes(app, context)
  documentRoutes(app, context)
  versionRoutes(app, context)
  inboxRoutes(app, context)
  await webClient(app, config.webRoot)
  const shell = config.webRoot === null ? null : path.join(config.webRoot, 'index.html')
  app.setNotFoundHandler((request, reply) => {
    if (shell !== null && wantsShell(request.method, request.url) && fs.existsSync(shell)) {
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .send(fs.readFileSync(shell))
    }
    return reply.code(404).send({ error: { code: 'not_found', message: '资源不存在 (not found)' } })
  })

  app.server.on('upgrade', (request, socket, head: Buffer) =>
    relay?.handleUpgrade(request, socket, head),
  )
  await app.listen({ host: config.host, port: config.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host}:${port}`
  logger.info('relay listening', { url, storage: storage.dialect })

  let closing: Promise<void> | null = null
  const running: RunningRelay = {
    url,
    port,
    storage,
    relay,
    audit,
    refusals,
    policy,
    close: () => {
      closing ??= (async () => {
        await relay?.destroy()
        await search.flush()
        await app.close()
        await storage.close()
      })()
      return closing
    },
  }
  return running
}
