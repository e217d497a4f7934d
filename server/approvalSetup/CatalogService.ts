/**
 * The approval catalog: flow templates and forms, built in (shared/approvals, listed first, never
 * editable) and defined by system administrators (stored as JSON, checked by catalogChecks.ts on
 * every save, each save audited in its own transaction).
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import type { FlowView, FormView } from '../../shared/http/routes/approvalSetup'
import type { FlowSubjectType, FlowTemplate, FormDefinition } from '../../shared/approvals'
import { BUILTIN_FLOWS, BUILTIN_FORMS } from '../../shared/approvals'
import { badRequest, conflict, forbidden, notFound } from '../domain/errors'
import type { ApprovalSetupStores } from '../storage/approvalSetup/stores'
import { approvalSetupStores } from '../storage/approvalSetup/stores'
import type { FlowRow, FormRow } from '../storage/approvalSetup/CatalogStore'
import { flowProblem, formFlowProblem, formProblem, namedUsers } from './catalogChecks'
import { auditRefusals } from './refusals'

/** Bounds of the catalog. */
export const CATALOG_LIMITS = {
  /** Admin flows (built-ins not counted). */
  flows: 500,
  /** Admin forms (built-ins not counted). */
  forms: 500,
} as const

const flowOf = (row: FlowRow): FlowTemplate => JSON.parse(row.definition) as FlowTemplate
const formOf = (row: FormRow): FormDefinition => JSON.parse(row.definition) as FormDefinition
const iso = (ms: number): string => new Date(ms).toISOString()

/** Flows and forms. */
export class CatalogService {
  constructor(
    private readonly storage: Storage,
    private readonly stores: ApprovalSetupStores,
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
  ) {}

  /** @returns a flow by id (built in first), or null. */
  async flow(id: string): Promise<FlowTemplate | null> {
    return this.flowIn(this.stores, id)
  }

  /** @returns a form by id (built in first), or null. */
  async form(id: string): Promise<FormDefinition | null> {
    if (Object.hasOwn(BUILTIN_FORMS, id)) {
      return BUILTIN_FORMS[id] ?? null
    }
    const row = await this.stores.catalog.form(id)
    return row === null ? null : formOf(row)
  }

  /** @returns every flow, built-ins first, optionally of one subject type. */
  async flows(subjectType?: FlowSubjectType): Promise<FlowView[]> {
    const views: FlowView[] = [
      ...Object.values(BUILTIN_FLOWS).map((flow) => ({ flow, builtin: true, updatedAt: null })),
      ...(await this.stores.catalog.flows()).map((row) => ({
        flow: flowOf(row),
        builtin: false,
        updatedAt: iso(row.updated_at),
      })),
    ]
    return subjectType === undefined
      ? views
      : views.filter((view) => view.flow.subjectType === subjectType)
  }

  /** @returns every form, built-ins (请假, 出差, 用印申请) first. */
  async forms(): Promise<FormView[]> {
    return [
      ...Object.values(BUILTIN_FORMS).map((form) => ({ form, builtin: true, updatedAt: null })),
      ...(await this.stores.catalog.forms()).map((row) => ({
        form: formOf(row),
        builtin: false,
        updatedAt: iso(row.updated_at),
      })),
    ]
  }

  /**
   * Creates or replaces an admin's flow.
   * @throws DomainError 403 not a system administrator; 400 id mismatch or a broken rule (also
   *   against every form that starts it); 404 a named user missing; 409 a built-in id (audited)
   */
  async saveFlow(actor: RequestActor, id: string, flow: FlowTemplate): Promise<FlowView> {
    const where = { actor, action: 'approval_flow.save', target: id }
    return auditRefusals(this.audit, where, async () => {
      this.requireCatalogAdmin(actor, id, flow.id)
      if (Object.hasOwn(BUILTIN_FLOWS, id)) {
        throw conflict(`内置流程 ${id} 不可修改，请另存为新流程 (built-in flows are not editable)`)
      }
      const problem = flowProblem(flow)
      if (problem !== null) {
        throw badRequest(problem)
      }
      const users = namedUsers(flow)
      const found = await this.storage.org.usersByIds(users)
      const missing = users.find(
        (user) => !found.some((row) => row.id === user && row.active === 1),
      )
      if (missing !== undefined) {
        throw badRequest(`流程指定的办理人 ${missing} 不存在或已停用 (unknown or inactive user)`)
      }
      const at = this.now()
      await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(approvalSetupStores)
        const forms = [
          ...Object.values(BUILTIN_FORMS).filter((form) => form.flowId === id),
          ...(await stores.catalog.formsOfFlow(id)).map(formOf),
        ]
        for (const form of forms) {
          const mismatch = formFlowProblem(form, flow)
          if (mismatch !== null) {
            throw badRequest(mismatch)
          }
        }
        const existing = await stores.catalog.flow(id)
        if (existing === null && (await stores.catalog.flowCount()) >= CATALOG_LIMITS.flows) {
          throw conflict(`自定义流程已达 ${CATALOG_LIMITS.flows} 个 (too many flows)`)
        }
        await stores.catalog.putFlow({
          id,
          name: flow.name,
          subject_type: flow.subjectType,
          definition: JSON.stringify(flow),
          updated_at: at,
          updated_by: actor.userId,
        })
        uow.audit({
          ...actor.event,
          action: 'approval_flow.save',
          target: id,
          detail: {
            name: flow.name,
            subjectType: flow.subjectType,
            stages: flow.stages.map((stage) => stage.id),
            created: existing === null,
          },
        })
      })
      return { flow, builtin: false, updatedAt: iso(at) }
    })
  }

  /**
   * Creates or replaces an admin's form.
   * @throws DomainError 403 not a system administrator; 400 id mismatch, a broken rule or a flow
   *   that does not fit; 404 no such flow; 409 a built-in id (audited)
   */
  async saveForm(actor: RequestActor, id: string, form: FormDefinition): Promise<FormView> {
    const where = { actor, action: 'approval_form.save', target: id }
    return auditRefusals(this.audit, where, async () => {
      this.requireCatalogAdmin(actor, id, form.id)
      if (Object.hasOwn(BUILTIN_FORMS, id)) {
        throw conflict(`内置表单 ${id} 不可修改，请另存为新表单 (built-in forms are not editable)`)
      }
      const problem = formProblem(form)
      if (problem !== null) {
        throw badRequest(problem)
      }
      const at = this.now()
      await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(approvalSetupStores)
        const flow = await this.flowIn(stores, form.flowId)
        if (flow === null) {
          throw notFound(`流程 ${form.flowId} `)
        }
        const mismatch = formFlowProblem(form, flow)
        if (mismatch !== null) {
          throw badRequest(mismatch)
        }
        const existing = await stores.catalog.form(id)
        if (existing === null && (await stores.catalog.formCount()) >= CATALOG_LIMITS.forms) {
          throw conflict(`自定义表单已达 ${CATALOG_LIMITS.forms} 个 (too many forms)`)
        }
        await stores.catalog.putForm({
          id,
          name: form.name,
          flow_id: form.flowId,
          definition: JSON.stringify(form),
          updated_at: at,
          updated_by: actor.userId,
        })
        uow.audit({
          ...actor.event,
          action: 'approval_form.save',
          target: id,
          detail: {
            name: form.name,
            flowId: form.flowId,
            fields: form.fields.map((field) => field.key),
            created: existing === null,
          },
        })
      })
      return { form, builtin: false, updatedAt: iso(at) }
    })
  }

  /** @returns a flow by id through `stores` (a unit of work's), or null. */
  private async flowIn(stores: ApprovalSetupStores, id: string): Promise<FlowTemplate | null> {
    if (Object.hasOwn(BUILTIN_FLOWS, id)) {
      return BUILTIN_FLOWS[id] ?? null
    }
    const row = await stores.catalog.flow(id)
    return row === null ? null : flowOf(row)
  }

  /** @throws DomainError 403 unless a system administrator; 400 when the body's id is not the URL's */
  private requireCatalogAdmin(actor: RequestActor, id: string, bodyId: string): void {
    // The catalog is province-wide: a unit administrator would change every unit's approvals.
    if (!actor.subject.roles.includes('sysadmin')) {
      throw forbidden('流程和表单全省通用，仅系统管理员可修改 (system administrators only)')
    }
    if (bodyId !== id) {
      throw badRequest(`请求体的 id ${bodyId} 与地址中的 ${id} 不一致 (id mismatch)`)
    }
  }
}
