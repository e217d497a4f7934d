/** /api/v1/directory: province-wide search of the 通讯录. */
import type { FastifyInstance } from 'fastify'
import { searchDirectory } from '../../shared/http/routes/directory'
import { directoryViewer } from '../services/DirectoryService'
import type { HttpContext } from './context'
import { actorOf } from './context'
import { handle } from './contractRoute'

/** Registers the directory routes. */
export function directoryRoutes(app: FastifyInstance, context: HttpContext): void {
  handle(
    app,
    searchDirectory,
    (request) => actorOf(context, request),
    async ({ auth, query }) => {
      const viewer = await directoryViewer(context.storage, auth.subject)
      return {
        entries: await context.directory.search(query.q, query.unitId, viewer, query.limit),
      }
    },
  )
}
