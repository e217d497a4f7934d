/** /api/v1/inbox: the signed-in user's notifications and 待办 (read-only room `inbox:<userId>`). */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { listInbox, markAllInboxRead, markInboxRead } from '../../shared/http/routes/inbox'
import type { HttpContext } from './context'
import { principalOf } from './context'
import { handle } from './contractRoute'

/** Registers the inbox routes. */
export function inboxRoutes(app: FastifyInstance, context: HttpContext): void {
  const { inbox } = context
  const signedIn = (request: FastifyRequest) => principalOf(context, request)

  handle(app, listInbox, signedIn, async ({ auth: { user }, query }) =>
    inbox.list(user, {
      unreadOnly: query.unread === '1' || query.unread === 'true',
      limit: query.limit ?? 50,
      before: query.before === undefined ? null : Date.parse(query.before),
    }),
  )

  handle(app, markInboxRead, signedIn, async ({ auth: { user }, params }) =>
    inbox.markRead(user, params.id),
  )

  handle(app, markAllInboxRead, signedIn, async ({ auth: { user } }) => ({
    marked: await inbox.markAllRead(user),
  }))
}
