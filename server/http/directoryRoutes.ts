/** /api/v1/directory: province-wide search of the 通讯录. */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { directoryViewer } from '../services/DirectoryService'
import type { HttpContext } from './context'
import { actorOf, parseBody } from './context'

const SearchQuery = z.object({
  q: z.string().max(64).default(''),
  unitId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

/** Registers the directory routes. */
export function directoryRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get('/api/v1/directory/search', async (request) => {
    const actor = await actorOf(context, request)
    const query = parseBody(SearchQuery, request.query)
    const viewer = await directoryViewer(context.storage, actor.subject)
    return { entries: await context.directory.search(query.q, query.unitId, viewer, query.limit) }
  })
}
