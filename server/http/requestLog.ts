/** The request log: one line per HTTP request, written when its response is sent. */
import type { FastifyInstance } from 'fastify'
import type { Logger } from '../logger'
import { requestUsers } from './context'

/**
 * Logs method, route (the pattern, so ids and query strings — tokens included — stay out), status,
 * duration and the authenticated user of every request at info level.
 */
export function requestLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode
    const fields = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
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
