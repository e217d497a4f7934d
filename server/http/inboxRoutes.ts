/** /api/v1/inbox: the signed-in user's notifications and 待办 (read-only room `inbox:<userId>`). */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { InboxQuery } from '../../shared/validation'
import type { HttpContext } from './context'
import { parseBody, principalOf } from './context'

const ItemParams = z.object({ id: z.string().min(1).max(64) })

/** Registers the inbox routes. */
export function inboxRoutes(app: FastifyInstance, context: HttpContext): void {
  const { inbox } = context

  app.get('/api/v1/inbox', async (request) => {
    const { user } = await principalOf(context, request)
    const query = parseBody(InboxQuery, request.query)
    return inbox.list(user, {
      unreadOnly: query.unread === '1' || query.unread === 'true',
      limit: query.limit ?? 50,
      before: query.before === undefined ? null : Date.parse(query.before),
    })
  })

  app.post('/api/v1/inbox/:id/read', async (request) => {
    const { user } = await principalOf(context, request)
    return inbox.markRead(user, parseBody(ItemParams, request.params).id)
  })

  app.post('/api/v1/inbox/read-all', async (request) => {
    const { user } = await principalOf(context, request)
    return { marked: await inbox.markAllRead(user) }
  })
}
