/**
 * The relay's HTTP side: Fastify with the contract's routes, the request log, the §6 error shape
 * for every failure, and the web client (its files, and its page for any other browser path).
 * `startRelay` builds the services, then this.
 *
 * @example
 *   const app = await createHttpServer({ context, meetings, metrics, logger, relayPublicKey, webRoot, metricsAllow, preCompressed: true })
 *   await app.listen({ host, port })
 */
import fs from 'node:fs'
import path from 'node:path'
import Fastify from 'fastify'
import type { FastifyError, FastifyInstance } from 'fastify'
import type { Logger } from '../logger'
import { DomainError } from '../domain/errors'
import type { MetricsExtension } from '../extensions/MetricsExtension'
import type { MeetingsModule } from '../meetings'
import type { RequestActivity } from './RequestActivity'
import { health } from '../../shared/http/routes/system'
import { errorReply } from './errorResponse'
import type { HttpContext } from './context'
import { handle, useContracts } from './contractRoute'
import { requestLog } from './requestLog'
import { relayKeyRoutes } from './relayKeyRoutes'
import { authRoutes } from './authRoutes'
import { userRoutes } from './userRoutes'
import { adminRoutes } from './adminRoutes'
import { importRoutes } from './importRoutes'
import { auditRoutes } from './auditRoutes'
import { directoryRoutes } from './directoryRoutes'
import { documentRoutes } from './documentRoutes'
import { versionRoutes } from './versionRoutes'
import { inboxRoutes } from './inboxRoutes'
import { approvalRoutes } from './approvalRoutes'
import { approvalSetupRoutes } from './approvalSetupRoutes'
import { meetingRoutes } from './meetingRoutes'
import { metricsRoute } from './metricsRoute'
import { wantsShell, webClient } from './webClient'
import { nodeCors } from './nodeCors'

/** What the HTTP side serves. */
export interface HttpServerOptions {
  readonly context: HttpContext
  readonly meetings: MeetingsModule
  /** Marked busy by every request (background work waits for its quiet moments). */
  readonly activity?: RequestActivity
  readonly metrics: MetricsExtension
  readonly logger: Logger
  /** The relay's SM2 public key (uncompressed hex). */
  readonly relayPublicKey: string
  /** The built web client, or null to serve the API only. */
  readonly webRoot: string | null
  /** Addresses allowed to read /metrics. */
  readonly metricsAllow: readonly string[]
  /** Serve the build's .br/.gz variants. */
  readonly preCompressed: boolean
  /** The origins of every node of the deployment, advertised by /health (none: not listed). */
  readonly nodes?: readonly string[]
}

/** @returns the Fastify instance with every route registered, not yet listening */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { context, logger, metrics } = options
  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 200 },
  })
  useContracts(app)
  options.activity?.track(app)
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
  const nodes = options.nodes ?? []
  nodeCors(app, nodes)
  handle(app, health, async () =>
    nodes.length === 0 ? { status: 'ok' as const } : { status: 'ok' as const, nodes: [...nodes] },
  )
  relayKeyRoutes(app, options.relayPublicKey)
  authRoutes(app, context)
  userRoutes(app, context)
  adminRoutes(app, context)
  importRoutes(app, context)
  auditRoutes(app, context)
  directoryRoutes(app, context)
  documentRoutes(app, context)
  versionRoutes(app, context)
  inboxRoutes(app, context)
  approvalRoutes(app, context)
  approvalSetupRoutes(app, context)
  meetingRoutes(app, context, options.meetings)
  metricsRoute(app, metrics, options.metricsAllow)
  await webClient(app, options.webRoot, { preCompressed: options.preCompressed, nodes })
  const shell = options.webRoot === null ? null : path.join(options.webRoot, 'index.html')
  app.setNotFoundHandler((request, reply) => {
    if (shell !== null && wantsShell(request.method, request.url) && fs.existsSync(shell)) {
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .send(fs.readFileSync(shell))
    }
    return reply.code(404).send({ error: { code: 'not_found', message: '资源不存在 (not found)' } })
  })
  return app
}
