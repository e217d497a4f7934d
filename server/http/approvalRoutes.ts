/** /api/v1/approvals, /api/v1/todos, a document's approvals and digest (DESIGN §7). */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyInstance } from 'fastify'
import {
  actOnApproval,
  approvalEvidence,
  batchAct,
  documentApprovals,
  documentDigest,
  getApproval,
  listTodos,
  startApproval,
} from '../../shared/http/routes/approvals'
import { DomainError } from '../domain/errors'
import { HTTP_ERRORS } from './errorResponse'
import type { HttpContext } from './context'
import { principalOf } from './context'
import { attachment, handle, handleDownload } from './contractRoute'

/** Registers the approvals routes. */
export function approvalRoutes(app: FastifyInstance, context: HttpContext): void {
  const { approvals } = context
  const signedIn = async (request: FastifyRequest) => ({
    user: (await principalOf(context, request)).user,
    ip: request.ip,
  })

  handle(app, startApproval, signedIn, async ({ auth, body }) =>
    approvals.service.start(auth, body),
  )

  handle(app, getApproval, signedIn, async ({ auth, params }) =>
    approvals.service.view(auth.user.id, params.id),
  )

  handle(app, actOnApproval, signedIn, async ({ auth, params, body }) =>
    approvals.actions.act(auth, params.id, body),
  )

  handle(app, batchAct, signedIn, async ({ auth, body }) => ({
    results: (await approvals.batch(auth, body.items)).map((result) => ({
      approvalId: result.approvalId,
      ...(result.outcome !== undefined ? { outcome: result.outcome } : {}),
      ...(result.error !== undefined ? { error: batchError(result.error) } : {}),
    })),
  }))

  handleDownload(
    app,
    approvalEvidence,
    signedIn,
    async ({ auth, params, reply }): Promise<FastifyReply> => {
      const evidence = await approvals.evidence(auth.user.id, params.id)
      return reply
        .type('application/json; charset=utf-8')
        .header('Content-Disposition', attachment(`审批证据-${params.id}.json`))
        .send(JSON.stringify(evidence, null, 2))
    },
  )

  handle(app, documentApprovals, signedIn, async ({ auth, params }) => ({
    approvals: await approvals.service.ofDocument(
      auth.user.id,
      params.id,
      await context.documents.readsThroughFeature(auth.user, params.id),
    ),
  }))

  handle(app, documentDigest, signedIn, async ({ auth, params }) =>
    approvals.service.digest(auth.user.id, params.id),
  )

  handle(app, listTodos, signedIn, async ({ auth, query }) =>
    approvals.todos.list(auth.user.id, {
      box: query.box ?? 'pending',
      limit: query.limit ?? 50,
      before: query.before === undefined ? null : Date.parse(query.before),
    }),
  )
}

/** @returns the §6 error of a failed batch item. */
export function batchError(error: unknown): { code: string; message: string } {
  if (error instanceof DomainError) {
    return { code: HTTP_ERRORS[error.code].code, message: error.message }
  }
  return { code: 'internal', message: '服务器内部错误 (internal error)' }
}
