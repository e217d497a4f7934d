/** /api/v1/documents: list, create, read, rename, members. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  archiveDocument,
  createDocument,
  deleteDocument,
  getDocument,
  listDocuments,
  listTrash,
  renameDocument,
  restoreDocument,
} from '../../shared/http/routes/documents'
import {
  listMembers,
  listUnitMembers,
  removeMember,
  removeUnitMember,
  setMember,
  setUnitMember,
} from '../../shared/http/routes/members'
import { searchTerms } from '../services/SearchService'
import { badRequest } from '../errors'
import type { HttpContext } from './context'
import { principalOf } from './context'
import { handle } from './contractRoute'

/** Registers the document routes. */
export function documentRoutes(app: FastifyInstance, context: HttpContext): void {
  const { documents, lifecycle } = context
  const signedIn = (request: FastifyRequest) => principalOf(context, request)

  handle(app, listDocuments, signedIn, async ({ auth: { user }, query }) => {
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

  handle(app, createDocument, signedIn, async ({ auth: { user }, body, request }) =>
    documents.create(user, body.title, body.docType, request.ip, body.id, body.offline === true),
  )

  // 回收站 and 归档 (DocumentLifecycle): the owner or a sysadmin; every change audited.
  handle(app, listTrash, signedIn, async ({ auth: { user } }) => ({
    documents: await lifecycle.trash(user),
  }))

  handle(app, deleteDocument, signedIn, async ({ auth: { user }, params, request }) => {
    await lifecycle.remove(user, params.id, request.ip)
    return null
  })

  handle(app, restoreDocument, signedIn, async ({ auth: { user }, params, request }) =>
    lifecycle.restore(user, params.id, request.ip),
  )

  handle(app, archiveDocument, signedIn, async ({ auth: { user }, params, request }) =>
    lifecycle.archive(user, params.id, request.ip),
  )

  handle(app, getDocument, signedIn, async ({ auth: { user }, params }) =>
    documents.get(user, params.id),
  )

  handle(app, renameDocument, signedIn, async ({ auth: { user }, params, body }) =>
    documents.rename(user, params.id, body.title),
  )

  handle(app, listMembers, signedIn, async ({ auth: { user }, params }) => ({
    members: await documents.members(user, params.id),
  }))

  handle(app, setMember, signedIn, async ({ auth: { user }, params, body }) =>
    documents.setMember(user, params.id, params.userId, body.role),
  )

  handle(app, removeMember, signedIn, async ({ auth: { user }, params }) => {
    await documents.removeMember(user, params.id, params.userId)
    return null
  })

  // Roles granted to units (按单位): they reach every active account posted in the unit's subtree.
  handle(app, listUnitMembers, signedIn, async ({ auth: { user }, params }) => ({
    unitMembers: await documents.unitMembers(user, params.id),
  }))

  handle(app, setUnitMember, signedIn, async ({ auth: { user }, params, body }) =>
    documents.setUnitMember(user, params.id, params.unitId, body.role),
  )

  handle(app, removeUnitMember, signedIn, async ({ auth: { user }, params }) => {
    await documents.removeUnitMember(user, params.id, params.unitId)
    return null
  })
}
