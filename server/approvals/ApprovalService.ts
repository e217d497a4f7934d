/**
 * Approvals (DESIGN §4, §7): starting one from a document or a form, reading it, acting on it in
 * the contract's order (device → signature off the main thread → the engine's verdict with the
 * digest check in its place → the rules), the 待办 centre, a document's approvals and digest.
 * The rules are the engine's (shared/approvals); this service loads, judges and records.
 */
import { adhocFlow, resolveFlow, validateFormData } from '../../shared/approvals'
import type { FlowTemplate } from '../../shared/approvals'
import { canEditBody } from '../../shared/domain/permissions'
import type { z } from 'zod'
import type { StartApprovalRequestSchema } from '../../shared/approvals'
import type { ApprovalSummary, ApprovalView } from '../../shared/http/routes/approvals'
import { newId } from '../auth/secrets'
import type { AuditService } from '../audit/AuditService'
import { DomainError, badRequest, conflict, forbidden, notFound } from '../domain/errors'
import type { Logger } from '../logger'
import type { RoomPort } from '../relay/ports'
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { ApprovalEffects } from './ApprovalEffects'
import { loadDirectory } from './OrgDirectory'
import type { ApprovalSetup } from './ports'
import type { Deputies } from './Deputies'
import type { DocumentReaders } from './DocumentReaders'
import { grantDocumentAccess, participantsOf, summaryOf, todoRowsOf } from './projection'
import { readContent } from './content'
import { loadApproval, viewOf } from './views'
import { reduce } from '../../shared/approvals'

/** The body of `POST /api/v1/approvals`. */
export type StartRequest = z.output<typeof StartApprovalRequestSchema>

/** Who is acting, for rules and the audit log. */
export interface Caller {
  readonly user: UserRow
  readonly ip: string | null
}

/** @returns the audit actor of a caller. */
export function auditOf(caller: Caller): {
  actor: { id: string; name: string }
  ip: string | null
} {
  return { actor: { id: caller.user.id, name: caller.user.display_name }, ip: caller.ip }
}

/** Starting and reading approvals, the 待办 centre. Acting is ApprovalActions'. */
export class ApprovalService {
  constructor(
    private readonly storage: Storage,
    private readonly setup: ApprovalSetup,
    private readonly rooms: RoomPort,
    private readonly effects: ApprovalEffects,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly deputies: Deputies,
    private readonly documentReaders: DocumentReaders,
  ) {}

  /** `POST /api/v1/approvals`. @returns the new approval's id */
  async start(caller: Caller, body: StartRequest): Promise<{ id: string }> {
    const { user } = caller
    const subject = body.subject
    let template: FlowTemplate
    if (body.flowId !== undefined) {
      const flow = await this.setup.catalog.flow(body.flowId)
      if (flow === null) {
        throw notFound('审批流程')
      }
      template = flow
    } else {
      template = adhocFlow(body.stages ?? [])
    }
    let title: string
    let registerOwnerId: string | null = null
    let data: Readonly<Record<string, unknown>> = body.data ?? {}
    let startSubject = subject
    if (subject.type === 'document') {
      const doc = await this.storage.documents.byId(subject.documentId)
      const role = doc === null ? null : await this.storage.documents.memberRole(doc.id, user.id)
      if (doc === null || role === null) {
        throw notFound('文档')
      }
      if (!canEditBody(role)) {
        await this.refuseStart(caller, subject.documentId, 'not_editor')
        throw forbidden('只有文档的所有者或编辑者可以发起审批 (owner or editor only)')
      }
      if (doc.archived_at !== null) {
        // 归档 is final: an archived document is read-only for everyone, its flows included.
        await this.refuseStart(caller, subject.documentId, 'archived')
        throw conflict('文档已归档，不能再发起审批 (the document is archived)')
      }
      if (template.subjectType !== 'document') {
        throw badRequest('该流程不适用于公文 (the flow is for forms)')
      }
      title = doc.title
      registerOwnerId = doc.owner_id
    } else {
      const form = await this.setup.catalog.form(subject.formId)
      if (form === null) {
        throw notFound('表单')
      }
      const valid = validateFormData(form, subject.data)
      if (!valid.ok) {
        throw new DomainError(
          'bad_request',
          `表单填写有误：${valid.issues.map((issue) => issue.message).join('；')} (invalid form data)`,
          { details: { issues: valid.issues } },
        )
      }
      if (body.flowId !== undefined && body.flowId !== form.flowId) {
        throw badRequest('表单的流程不可更换 (the form has its own flow)')
      }
      if (body.flowId === undefined && body.stages === undefined) {
        throw badRequest('须指定流程 (no flow)')
      }
      if (template.subjectType !== 'form' && body.flowId !== undefined) {
        throw badRequest('该流程不适用于表单 (the flow is for documents)')
      }
      title = form.name
      data = valid.data
      startSubject = { type: 'form', formId: subject.formId, data: valid.data }
    }
    // After the subject: a missing document or form is reported first (404 before 400).
    if (user.unit_id === null) {
      throw badRequest('您尚未分配单位，不能发起审批 (the initiator has no unit)')
    }
    const owner = registerOwnerId === null ? null : await this.storage.users.byId(registerOwnerId)
    const registerUnitId = owner?.unit_id ?? user.unit_id
    const strings = [
      ...Object.values(data).flatMap((value) => (Array.isArray(value) ? value : [value])),
    ].filter((value): value is string => typeof value === 'string' && value.length <= 64)
    const dir = await loadDirectory(this.storage, {
      unitId: user.unit_id,
      extraUnitIds: strings.slice(0, 20),
      userIds: [
        ...(body.stages ?? []).flatMap((stage) => stage.assignees),
        ...(body.cc ?? []),
        ...strings.slice(0, 200),
      ],
    })
    const id = newId()
    const now = Date.now()
    const resolved = resolveFlow(
      template,
      {
        approvalId: id,
        initiatorId: user.id,
        initiatorUnitId: user.unit_id,
        createdAt: new Date(now).toISOString(),
        subject: startSubject,
        data,
        ...(body.cc !== undefined ? { cc: body.cc } : {}),
      },
      dir,
    )
    if (!resolved.ok) {
      throw new DomainError('bad_request', resolved.error.message, {
        details: { ...resolved.error },
      })
    }
    const instance = resolved.instance
    const state = reduce(instance, [])
    const todos = todoRowsOf(instance, state, [], now)
    await this.storage.unitOfWork(async (uow) => {
      await uow.approvals.insert({
        id,
        instance: JSON.stringify(instance),
        subject_type: instance.subject.type,
        document_id: instance.subject.type === 'document' ? instance.subject.documentId : null,
        form_id: instance.subject.type === 'form' ? instance.subject.formId : null,
        title,
        initiator_id: user.id,
        register_unit_id: registerUnitId,
        version: 0,
        created_at: now,
        ...summaryOf(instance, state, now),
      })
      const participants = participantsOf(instance, state, [])
      await uow.approvals.replaceTodos(id, todos, participants)
      await grantDocumentAccess(uow, instance, participants)
      uow.audit({
        ...auditOf(caller),
        action: 'approval.start',
        target: id,
        detail: {
          subject: instance.subject.type,
          flowId: instance.flowId ?? null,
          stages: instance.stages.map((stage) => stage.id),
        },
      })
    })
    await this.effects.committed(
      id,
      todos.map((todo) => todo.user_id),
      [],
    )
    return { id }
  }

  private async refuseStart(caller: Caller, documentId: string, reason: string): Promise<void> {
    await this.audit.record({
      ...auditOf(caller),
      action: 'approval.start_refused',
      target: documentId,
      detail: { reason },
    })
  }

  /**
   * `GET /api/v1/approvals/<id>`: participants, and deputies of a leader who must act now with a
   * delegation in force that covers the stage (代); 404 for anyone else.
   */
  async view(userId: string, id: string): Promise<ApprovalView> {
    const loaded = await loadApproval(this.storage, id)
    if (loaded === null || !(await this.deputies.mayRead(id, userId))) {
      throw notFound('审批')
    }
    return viewOf(this.storage, loaded)
  }

  /**
   * `GET /api/v1/documents/<id>/approvals`: the document's members, who reads it through a running
   * approval (DocumentReaders), or who reads it otherwise (`readsOtherwise`: a meeting's invitees
   * read its agenda and materials).
   */
  async ofDocument(
    userId: string,
    documentId: string,
    readsOtherwise = false,
  ): Promise<ApprovalSummary[]> {
    if (!readsOtherwise) {
      await this.mayReadDocument(userId, documentId)
    }
    const rows = await this.storage.approvals.byDocument(documentId)
    return rows.map((row) => ({
      id: row.id,
      status: row.status as ApprovalSummary['status'],
      title: row.title,
      currentStageId: row.current_stage_id,
      currentStageName: row.current_stage_name,
      initiatorId: row.initiator_id,
      createdAt: new Date(row.created_at).toISOString(),
    }))
  }

  /**
   * `GET /api/v1/documents/<id>/digest`: the document's members, and who reads it through a
   * running approval (an assignee now, or their deputy, 代).
   */
  async digest(
    userId: string,
    documentId: string,
  ): Promise<{ digest: string; substantiveDigest: string }> {
    await this.mayReadDocument(userId, documentId)
    const content = await readContent(this.rooms, documentId)
    return { digest: content.digest, substantiveDigest: content.substantiveDigest }
  }

  /** @throws DomainError not_found unless `userId` is a member or reads through an approval */
  private async mayReadDocument(userId: string, documentId: string): Promise<void> {
    if (
      (await this.storage.documents.memberRole(documentId, userId)) === null &&
      !(await this.documentReaders.mayRead(documentId, userId))
    ) {
      throw notFound('文档')
    }
  }

  /** Logs a failure of work after a response (never thrown to a client). */
  warn(message: string, error: unknown): void {
    this.logger.warn(message, { error: String(error) })
  }
}
