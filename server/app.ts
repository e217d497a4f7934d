/** Wires the relay: storage, services, extensions, HTTP routes and the WebSocket upgrade path. */
import fs from 'node:fs'
import path from 'node:path'
import Fastify from 'fastify'
import type { FastifyError } from 'fastify'
import type { QiluConfig } from './config'
import { auditCheckpointFile } from './config'
import { createLogger } from './logger'
import type { Logger } from './logger'
import { openDatabase } from './storage/database'
import { KyselyStorage } from './storage/Storage'
import type { Storage } from './storage/Storage'
import { AccountService } from './services/AccountService'
import { AuthLimiter } from './auth/AuthLimiter'
import { DocumentService } from './services/DocumentService'
import { Relay } from './relay/Relay'
import { AuthExtension } from './extensions/AuthExtension'
import { LimitsExtension } from './extensions/LimitsExtension'
import { DocumentPolicyExtension } from './extensions/DocumentPolicyExtension'
import { ClientIdBindings } from './policy/ClientIdBindings'
import { UpdateSlicer } from './policy/UpdateSlicer'
import { ClientIdStore } from './storage/ClientIdStore'
import { LoggerExtension } from './extensions/LoggerExtension'
import { MetricsExtension } from './extensions/MetricsExtension'
import { PersistenceExtension } from './extensions/PersistenceExtension'
import type { PersistenceOptions } from './extensions/PersistenceExtension'
import { RedisExtension } from './extensions/RedisExtension'
import { RefusalAuditExtension } from './extensions/RefusalAuditExtension'
import { SocketControl } from './extensions/SocketControl'
import { DomainError } from './domain/errors'
import { errorReply } from './http/errorResponse'
import { authRoutes } from './http/authRoutes'
import { userRoutes } from './http/userRoutes'
import { adminRoutes } from './http/adminRoutes'
import { AuditService } from './audit/AuditService'
import { AuditCheckpointer, DEFAULT_CHECKPOINT_TIMING } from './audit/AuditCheckpointer'
import type { CheckpointTiming } from './audit/AuditCheckpointer'
import { loadAuditKey } from './audit/auditKey'
import { loadRelayKey } from './crypto/relayKey'
import { LeaseStore } from './storage/LeaseStore'
import { relayKeyRoutes } from './http/relayKeyRoutes'
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
import { requestLog } from './http/requestLog'
import { handle, useContracts } from './http/contractRoute'
import { health } from '../shared/http/routes/system'
import { metricsRoute } from './http/metricsRoute'
import { DEFAULT_METRICS_ALLOW } from './config'
// Issue 20, approval set-up.
import { createApprovalSetup } from './approvalSetup'
import type { ApprovalSetupModule } from './approvalSetup'
import { approvalSetupRoutes } from './http/approvalSetupRoutes'
// Issue 21, meetings.
import { checkinKey, createMeetings } from './meetings'
import type { MeetingsModule } from './meetings'
import { meetingRoutes } from './http/meetingRoutes'

/** A running relay. */
export interface RunningRelay {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string
  readonly port: number
  readonly storage: Storage
  readonly relay: Relay
  readonly audit: AuditService
  /** The audit checkpoint job of this node. */
  readonly auditCheckpoints: AuditCheckpointer
  /** The relay's SM2 public key (uncompressed hex). */
  readonly publicKey: string
  /**
   * The `admin` account's one-time password when this start created it without
   * `QILU_ADMIN_PASSWORD`, else null. Shown once to the operator; the first login must replace it.
   */
  readonly oneTimeAdminPassword: string | null
  /** De-duplicated audit of the relay's refusals (DESIGN.md §3). */
  readonly refusals: RefusalAuditor
  /** The document policy (commenter and classification checks), with its timing counters. */
  readonly policy: DocumentPolicyExtension
  /** Flushes every room and stops. */
  close(): Promise<void>
  /** Approval set-up (issue 20): the ApprovalSetup ports of server/approvals/ports.ts, and its services. */
  readonly approvalSetup: ApprovalSetupModule
  /** Meetings (issue 21): rooms, bookings, invitations, sign-in, reminders, minutes. */
  readonly meetings: MeetingsModule
}

/** Tuning that tests and benchmarks may change. */
export interface RelayTuning {
  readonly unloadDelayMs?: number
  readonly logger?: Logger
  /** When automatic versions are taken (defaults: 2 min quiet, at most one per 10 min). */
  readonly versions?: VersionTiming
  /** How long the search index waits after a document is stored before it re-reads it (ms). */
  readonly searchDelayMs?: number
  /** When audit checkpoints are taken (defaults: every minute, or after 1000 entries). */
  readonly auditCheckpoints?: Partial<CheckpointTiming>
  /** The update log's write path (benchmarks compare durable acknowledgement with none). */
  readonly persistence?: Partial<PersistenceOptions>
  /** Serve the build's .br/.gz variants (default); false serves every asset as is (benchmarks). */
  readonly precompressedAssets?: boolean
  /** How often due meeting reminders are swept (ms; 30 s by default). */
  readonly meetingReminderIntervalMs?: number
}

/** Starts the relay on `config.host:config.port`. */
export async function startRelay(
  config: QiluConfig,
  tuning: RelayTuning = {},
): Promise<RunningRelay> {
  const logger = tuning.logger ?? createLogger({ quiet: config.quiet })
  // Keys first: a malformed QILU_AUDIT_KEY or QILU_RELAY_KEY stops the start before the database opens.
  const auditKey = loadAuditKey({ ...config, logger })
  const relayKey = loadRelayKey({ ...config, logger })
  const opened = openDatabase({ ...config, logger })
  const storage = new KyselyStorage(opened)
  const checkpointFile = auditCheckpointFile(config)
  const audit = new AuditService(storage.audit, logger, {
    key: auditKey,
    trustedKeys: [relayKey.publicKey],
    checkpointFiles: [checkpointFile],
  })
  // Units of work append their audit entries through the service's keyed chain.
  storage.useAuditChain(audit)
  try {
    await storage.migrate()
    // A node with another key than the chain's refuses to start (AuditKeyError).
    await audit.open()
    // Start the update log's worker now, so the first document opened does not wait for it.
    await storage.roomLog.ready()
  } catch (error) {
    await storage.close().catch(() => {})
    throw error
  }
  logger.info('relay SM2 public key (verifies audit checkpoints)', {
    publicKey: relayKey.publicKey,
  })
  const checkpoints = new AuditCheckpointer(
    storage.audit,
    new LeaseStore(opened.db),
    relayKey,
    checkpointFile,
    () => audit.chainKeyedFrom(),
    logger,
    { ...DEFAULT_CHECKPOINT_TIMING, ...tuning.auditCheckpoints },
  )
  audit.onAppended((seq) => checkpoints.appended(seq))
  checkpoints.start()

  const refusals = new RefusalAuditor(audit, logger)
  // The relay first: services reach its rooms through its ports (relay.rooms), and its extensions,
  // which need the services, are added once those exist.
  const relay = new Relay([], logger, {
    unloadDelayMs: tuning.unloadDelayMs ?? 10_000,
    pingIntervalMs: 30_000,
    allowedOrigins: config.allowedOrigins,
    refusals,
  })
  const redis =
    config.redisUrl === null
      ? null
      : new RedisExtension(config.redisUrl, config.redisPrefix, logger)
  const localControl = new SocketControl(relay, storage, logger)
  const control = redis === null ? localControl : redis.wrapControl(localControl)
  const limits = new AuthLimiter(
    opened,
    config.authLimits,
    config.redisUrl === null ? null : { url: config.redisUrl, prefix: config.redisPrefix },
    logger,
  )
  const accounts = new AccountService(
    storage,
    control,
    audit,
    config.sessionIdleMs,
    limits,
    config.authLimits.loginMaxFailures,
  )
  const documents = new DocumentService(storage, control)
  documents.follow(relay.rooms)
  const org = new OrgService(storage, audit)
  // A single node sees every change it must index; with several nodes, the others' changes are
  // picked up when the search index expires.
  const directory = new DirectoryService(
    storage,
    relay.rooms,
    logger,
    redis === null ? Infinity : 30_000,
  )
  const authorship = new AuthorService(storage.versions, logger)
  const versions = new VersionService(
    storage,
    storage.versions,
    authorship,
    relay.rooms,
    logger,
    tuning.versions,
  )
  const search = new SearchService(
    storage,
    new SearchStore(opened.db, opened.dialect),
    relay.rooms,
    logger,
    tuning.searchDelayMs,
  )
  search.follow(relay.rooms)
  const inbox = new InboxService(storage, new InboxStore(opened.db), relay.rooms, logger)
  const admin = new AdminService(storage, accounts, org, audit, control, directory)
  const imports = new ImportService(storage, audit, logger, directory)
  // --- approval set-up (issue 20): device keys, delegations, flows, forms, 机关代字. The approvals
  // service takes `approvalSetup` as its ApprovalSetup (server/approvals/ports.ts).
  const approvalSetup = createApprovalSetup({
    storage,
    db: opened.db,
    audit,
    // Published keys live in the directory rooms of the units the account is posted in.
    keysChanged: async (userId) => directory.refreshUnits(await directory.unitsOf([userId])),
  })
  directory.publishKeysFrom(approvalSetup.services.devices)
  // --- end approval set-up
  // --- meetings (issue 21): rooms, bookings, invitations, sign-in, reminders, minutes. The relay
  // asks `meetings.readers` who may read a `meeting:<id>` room (AuthExtension below).
  const meetings = createMeetings({
    storage,
    db: opened.db,
    audit,
    rooms: relay.rooms,
    inbox,
    documents,
    leases: new LeaseStore(opened.db),
    checkinKey: checkinKey(auditKey),
    checkinTtlSeconds: config.checkinTokenTtlS,
    logger,
    reminderIntervalMs: tuning.meetingReminderIntervalMs,
  })
  meetings.reminders.start()
  // --- end meetings
  const metrics = new MetricsExtension()
  const policy = new DocumentPolicyExtension(
    refusals,
    new ClientIdBindings(new ClientIdStore(opened.db), logger),
    new UpdateSlicer(),
    logger,
  )
  const persistence = new PersistenceExtension(storage, logger, tuning.persistence, {
    stored: relay.rooms,
    commits: metrics,
  })
  // Each extension declares its place (extensions/priorities.ts); the order here does not matter.
  relay.use(
    new AuthExtension(accounts, storage, audit, logger, meetings.readers),
    new RefusalAuditExtension(refusals),
    new LimitsExtension(),
    metrics,
    policy,
    persistence,
    new VersionExtension(versions, authorship, logger),
    new MentionExtension(inbox, logger),
    ...(redis === null ? [] : [redis]),
    new LoggerExtension(logger),
  )
  await redis?.start(relay)
  metrics.observe({
    connections: () => relay.connectionCount,
    rooms: () => relay.roomCount,
    persistenceQueue: () => persistence.queued,
  })

  // Shown once, on the first start only, by the caller (main.ts prints it in a banner outside the
  // logger, so it never becomes a log field).
  const oneTimeAdminPassword = await accounts.bootstrapAdmin(config.adminPassword)

  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 200 },
  })
  useContracts(app)
  requestLog(app, logger, metrics)
  app.setErrorHandler((error: FastifyError | DomainError, _request, reply) => {
    if (error instanceof DomainError) {
      const answer = errorReply(error)
      return reply.code(answer.status).headers(answer.headers).send(answer.body)
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
  handle(app, health, async () => ({ status: 'ok' as const }))
  relayKeyRoutes(app, relayKey.publicKey)
  const context: HttpContext = {
    storage,
    accounts,
    sessions: accounts.sessionService,
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
    approvalSetup: approvalSetup.services,
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
  approvalSetupRoutes(app, context)
  meetingRoutes(app, context, meetings)
  metricsRoute(app, metrics, config.metricsAllow ?? DEFAULT_METRICS_ALLOW)
  await webClient(app, config.webRoot, { preCompressed: tuning.precompressedAssets ?? true })
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
    auditCheckpoints: checkpoints,
    publicKey: relayKey.publicKey,
    refusals,
    policy,
    oneTimeAdminPassword,
    approvalSetup,
    meetings,
    close: () => {
      closing ??= (async () => {
        await relay?.destroy()
        await search.flush()
        await app.close()
        await limits.close()
        await checkpoints.stop()
        await meetings.reminders.stop()
        await storage.close()
      })()
      return closing
    },
  }
  return running
}
