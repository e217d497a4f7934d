/** The request log: one line per HTTP request, written when its response is sent. */
import type { FastifyInstance } from 'fastify'
import type { Logger } from '../logger'
import type { MetricsExtension } from '../extensions/MetricsExtension'
import { requestUsers } from './context'

/**
 * Logs (and measures) method, route (the pattern, so ids and query strings — tokens included — stay out), status,
 * duration and the authenticated user of every request at info level.
 */
export function requestLog(app: FastifyInstance, logger: Logger, metrics: MetricsExtension): void {
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.request(request.method, route, status, reply.elapsedTime / 1000)
    const fields = {
      method: request.method,
      route,
      status,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      userId: requestUsers.get(request) ?? null,
      ip: request.ip,
    }
    if (status >= 500) {
      logger.error('request', fields)
    } else {
      logger.info('request', fields)
    }
  })
}
