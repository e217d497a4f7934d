/** /api/v1/users: the people picker. */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { UserSummary } from '../../shared/api'
import type { HttpContext } from './context'
import { parseBody, principalOf } from './context'

const SearchQuery = z.object({ q: z.string().max(64).optional() })
/** Registers the user routes. */
export function userRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get('/api/v1/users', async (request): Promise<{ users: UserSummary[] }> => {
    await principalOf(context, request)
    const { q } = parseBody(SearchQuery, request.query)
    const rows = await context.storage.searchUsers((q ?? '').trim(), 20)
    return {
      users: rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name })),
    }
  })
}
