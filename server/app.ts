/** Wires the relay: storage, services, extensions, HTTP routes and the WebSocket upgrade path. */
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
import { DocumentLifecycle } from './services/DocumentLifecycle'
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
import type { ProjectionReaders } from './relay/ports'
import { AuditService } from './audit/AuditService'
import { AuditCheckpointer, DEFAULT_CHECKPOINT_TIMING } from './audit/AuditCheckpointer'
import type { CheckpointTiming } from './audit/AuditCheckpointer'
import { loadAuditKey } from './audit/auditKey'
import { loadRelayKey } from './crypto/relayKey'
import { LeaseStore } from './storage/LeaseStore'
import { RefusalAuditor } from './audit/RefusalAuditor'
import { OrgService } from './services/OrgService'
import { AdminService } from './services/AdminService'
import { DirectoryService } from './services/DirectoryService'
import { ImportService } from './imports/ImportService'
import { AuthorService } from './services/AuthorService'
import { VersionService } from './services/VersionService'
import type { VersionTiming } from './services/VersionService'
import { VersionExtension } from './extensions/VersionExtension'
import { SearchStore } from './storage/SearchStore'
import { SearchService } from './services/SearchService'
import { InboxStore } from './storage/InboxStore'
import { InboxService } from './services/InboxService'
import { MentionExtension } from './extensions/MentionExtension'
import { NoticeExtension } from './extensions/NoticeExtension'
import { DocumentNotices } from './services/DocumentNotices'
import type { HttpContext } from './http/context'
import { createHttpServer } from './http/httpServer'
import { RequestActivity } from './http/RequestActivity'
import { DEFAULT_METRICS_ALLOW } from './config'
import { Approvals } from './approvals/Approvals'
import type { ApprovalSetup } from './approvals/ports'
import { createApprovalSetup } from './approvalSetup'
import type { ApprovalSetupModule } from './approvalSetup'
import { checkinKey, createMeetings } from './meetings'
import type { MeetingsModule } from './meetings'

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
  /** Approvals (their timed jobs too, which tests tick). */
  readonly approvals: Approvals
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
  /**
   * Device keys, delegations, flows, forms and 机关代字 of approvals (server/approvals/ports.ts);
   * the set-up of server/approvalSetup when absent.
   */
  readonly approvalSetup?: ApprovalSetup
  /** Debounce of 发文复核 after a document is stored (ms). */
  readonly reviewDelayMs?: number
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
    // The update log's worker (an isolate of its own, some 14 MB) starts with the first document
    // opened, not here: a relay nobody edits on does not keep it (issue 23).
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
    // A page served by any node of the deployment may sync with every node (failover).
    allowedOrigins: [...config.allowedOrigins, ...(config.nodes ?? [])],
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
  const lifecycle = new DocumentLifecycle(storage, control)
  const org = new OrgService(storage, audit)
  // A single node sees every change it must index; with several nodes, the others' changes are
  // picked up when the search index expires.
  const directory = new DirectoryService(storage, relay.rooms, logger, redis ? 30_000 : Infinity)
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
  const inboxStore = new InboxStore(opened.db)
  const inbox = new InboxService(storage, inboxStore, relay.rooms, logger)
  const documentNotices = new DocumentNotices(storage, inboxStore, inbox, logger)
  documents.notifyWith(documentNotices)
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
    // A deputy's 待办 holds the pending items of the leaders who delegated to them (代): their
    // counts follow each grant and revocation. Bound late: `approvals` is built below.
    delegationsChanged: (deputyId) => approvals.delegationsChanged(deputyId),
  })
  directory.publishKeysFrom(approvalSetup.services.devices)
  // --- end approval set-up
  // Approvals (issue 20) over the set-up's ports; tests may give their own set-up.
  const approvals = new Approvals({
    storage,
    setup: tuning.approvalSetup ?? approvalSetup,
    rooms: relay.rooms,
    audit,
    logger,
    relayKey,
    leases: new LeaseStore(opened.db),
    ...(tuning.reviewDelayMs === undefined ? {} : { reviewDelayMs: tuning.reviewDelayMs }),
    reviewIgnorePunctuation: config.reviewIgnorePunctuation ?? true,
    inbox,
    readersChanged: (target) => control.readersChanged(target),
    // A meeting's minutes show their approval's status. Bound late: `meetings` is built below.
    projected: ({ documentId }) => meetings.minutes.approvalChanged(documentId),
    // The flow's 归档 archives its 公文 (DocumentLifecycle's state): its sockets reopen read-only.
    documentArchived: (documentId) => control.documentLifecycle(documentId, 'archived'),
  })
  approvals.follow(relay.rooms)
  // --- meetings (issue 21): rooms, bookings, invitations, sign-in, reminders, minutes. The relay
  // asks `readers` who may read a `meeting:<id>` room (AuthExtension below); new meetings' rooms
  // are written when the HTTP side has a quiet moment (requestActivity).
  const requestActivity = new RequestActivity()
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
    control,
    pacing: requestActivity,
  })
  meetings.reminders.start()
  // --- end meetings
  // Who reads the features' projection rooms (meeting: by meetings, approval: deputies by
  // approvals) and, read only, doc: rooms they are no member of (a running approval's assignees
  // and deputies, a meeting's invitees its agenda and materials); on join, when readers change,
  // and over HTTP.
  const readers: ProjectionReaders = {
    mayRead: async (room, userId) =>
      ((room.kind === 'approval' || room.kind === 'doc') &&
        (await approvals.mayRead(room, userId))) ||
      (room.kind !== 'approval' && (await meetings.readers.mayRead(room, userId))),
  }
  localControl.useReaders(readers)
  documents.useReaders(readers)
  const metrics = new MetricsExtension()
  const policy = new DocumentPolicyExtension(
    refusals,
    new ClientIdBindings(new ClientIdStore(opened.db), logger),
    new UpdateSlicer(),
    logger,
    approvals.bodyLocks,
  )
  const persistence = new PersistenceExtension(storage, logger, tuning.persistence, {
    stored: relay.rooms,
    commits: metrics,
    ...(redis === null ? {} : { durable: redis }),
  })
  redis?.useDurability(persistence)
  redis?.tellChangesElsewhere(relay.rooms)
  // Each extension declares its place (extensions/priorities.ts); the order here does not matter.
  relay.use(
    new AuthExtension(accounts, storage, audit, logger, readers),
    new RefusalAuditExtension(refusals),
    new LimitsExtension(),
    metrics,
    policy,
    persistence,
    new VersionExtension(versions, authorship, logger),
    new MentionExtension(inbox, logger),
    new NoticeExtension(documentNotices, logger),
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

  const context: HttpContext = {
    storage,
    accounts,
    sessions: accounts.sessionService,
    documents,
    lifecycle,
    metrics,
    audit,
    org,
    admin,
    imports,
    directory,
    versions,
    search,
    inbox,
    approvals,
    approvalSetup: approvalSetup.services,
  }
  const app = await createHttpServer({
    context,
    meetings,
    activity: requestActivity,
    metrics,
    logger,
    relayPublicKey: relayKey.publicKey,
    webRoot: config.webRoot,
    metricsAllow: config.metricsAllow ?? DEFAULT_METRICS_ALLOW,
    nodes: config.nodes ?? [],
    preCompressed: tuning.precompressedAssets ?? true,
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
    approvals,
    oneTimeAdminPassword,
    approvalSetup,
    meetings,
    close: () => {
      closing ??= (async () => {
        await approvals.close()
        await meetings.reader.drained() // rooms of meetings booked just before the close
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
