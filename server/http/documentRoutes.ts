/** /api/v1/documents: list, create, read, rename, members. */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  CreateDocumentRequest,
  DocumentListQuery,
  SetMemberRequest,
  UpdateDocumentRequest,
} from '../../shared/validation'
import { searchTerms } from '../services/SearchService'
import { badRequest } from '../errors'
import type { HttpContext } from './context'
import { parseBody, principalOf } from './context'

const DocParams = z.object({ id: z.string().min(1).max(64) })
const MemberParams = z.object({ id: z.string().min(1).max(64), userId: z.string().min(1).max(64) })
const UnitMemberParams = z.object({
  id: z.string().min(1).max(64),
  unitId: z.string().min(1).max(64),
})

/** Registers the document routes. */
export function documentRoutes(app: FastifyInstance, context: HttpContext): void {
  const { documents } = context

  app.get('/api/v1/documents', async (request) => {
    const { user } = await principalOf(context, request)
    const query = parseBody(DocumentListQuery, request.query)
    if (query.status !== undefined) {
      // 公文 status (拟稿/审核/签发…) comes with the workflow; refuse rather than ignore the filter.
      throw badRequest('暂不支持按状态筛选 (filtering by status is not available yet)')
    }
    const terms = searchTerms(query.q)
    if (terms.length === 0 && (query.filter ?? 'all') === 'all' && query.docType === undefined) {
      return { documents: await documents.list(user) }
    }
    // Search and filters answer DocumentSearchHit rows (a summary plus excerpt and 文种).
    const found = await context.search.search(user, {
      terms,
      filter: query.filter ?? 'all',
      docType: query.docType ?? null,
      limit: query.limit ?? 100,
    })
    return { documents: found }
  })

  app.post('/api/v1/documents', async (request, reply) => {
    const { user } = await principalOf(context, request)
    const body = parseBody(CreateDocumentRequest, request.body)
    return reply.code(201).send(await documents.create(user, body.title, body.docType))
  })

  app.get('/api/v1/documents/:id', async (request) => {
    const { user } = await principalOf(context, request)
    return documents.get(user, parseBody(DocParams, request.params).id)
  })

  app.patch('/api/v1/documents/:id', async (request) => {
    const { user } = await principalOf(context, request)
    const { id } = parseBody(DocParams, request.params)
    return documents.rename(user, id, parseBody(UpdateDocumentRequest, request.body).title)
  })

  app.get('/api/v1/documents/:id/members', async (request) => {
    const { user } = await principalOf(context, request)
    return { members: await documents.members(user, parseBody(DocParams, request.params).id) }
  })

  app.put('/api/v1/documents/:id/members/:userId', async (request) => {
    const { user } = await principalOf(context, request)
    const { id, userId } = parseBody(MemberParams, request.params)
    const { role } = parseBody(SetMemberRequest, request.body)
    return documents.setMember(user, id, userId, role)
  })

  app.delete('/api/v1/documents/:id/members/:userId', async (request, reply) => {
    const { user } = await principalOf(context, request)
    const { id, userId } = parseBody(MemberParams, request.params)
    await documents.removeMember(user, id, userId)
    return reply.code(204).send()
  })

  // Roles granted to units (按单位): they reach every active account posted in the unit's subtree.
  app.get('/api/v1/documents/:id/unit-members', async (request) => {
    const { user } = await principalOf(context, request)
    const { id } = parseBody(DocParams, request.params)
    return { unitMembers: await documents.unitMembers(user, id) }
  })

  app.put('/api/v1/documents/:id/unit-members/:unitId', async (request) => {
    const { user } = await principalOf(context, request)
    const { id, unitId } = parseBody(UnitMemberParams, request.params)
    const { role } = parseBody(SetMemberRequest, request.body)
    return documents.setUnitMember(user, id, unitId, role)
  })

  app.delete('/api/v1/documents/:id/unit-members/:unitId', async (request, reply) => {
    const { user } = await principalOf(context, request)
    const { id, unitId } = parseBody(UnitMemberParams, request.params)
    await documents.removeUnitMember(user, id, unitId)
    return reply.code(204).send()
  })
}
