/** /api/v1/users: the people picker. */
import type { FastifyInstance } from 'fastify'
import { searchUsers } from '../../shared/http/routes/users'
import type { HttpContext } from './context'
import { principalOf } from './context'
import { handle } from './contractRoute'

/** Registers the user routes. */
export function userRoutes(app: FastifyInstance, context: HttpContext): void {
  handle(
    app,
    searchUsers,
    (request) => principalOf(context, request),
    async ({ query }) => {
      const rows = await context.storage.searchUsers((query.q ?? '').trim(), 20)
      return {
        users: rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name })),
      }
    },
  )
}
