/** /api/v1/users: the people picker. */
import type { FastifyInstance } from 'fastify'
import { searchUsers } from '../../shared/http/routes/users'
import type { HttpContext } from './context'
import { actorOf } from './context'
import { handle } from './contractRoute'
import { directoryViewer } from '../services/DirectoryService'

/** Registers the user routes. */
export function userRoutes(app: FastifyInstance, context: HttpContext): void {
  handle(
    app,
    searchUsers,
    (request) => actorOf(context, request),
    async ({ auth, query }) => {
      const viewer = await directoryViewer(context.storage, auth.subject)
      const entries = await context.directory.pick((query.q ?? '').trim(), viewer, 20)
      return {
        users: entries.map((entry) => ({
          id: entry.id,
          username: entry.username,
          displayName: entry.displayName,
          unitName: entry.posts[0]?.unitName ?? null,
          post: entry.posts[0]?.title ?? null,
        })),
      }
    },
  )
}
