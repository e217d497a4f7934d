/**
 * Each unit's 机关代字 (e.g. 鲁政办发), from which 编号 draws the 发文字号 of the unit's documents. A
 * unit without one uses its nearest ancestor's. Set by an administrator of the unit (audited).
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import { isAgencyCode } from '../../shared/approvals'
import { canAdministerUnit, pathIds } from '../../shared/domain/org'
import { badRequest, forbidden, notFound } from '../domain/errors'
import type { ApprovalSetupStores } from '../storage/approvalSetup/stores'
import { approvalSetupStores } from '../storage/approvalSetup/stores'
import { auditRefusals } from './refusals'

/** Sets and looks up 机关代字. */
export class AgencyCodeService {
  constructor(
    private readonly storage: Storage,
    private readonly stores: ApprovalSetupStores,
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Sets a unit's 机关代字.
   * @throws DomainError 404 no such unit; 403 outside the actor's reach; 400 not a usable code
   *   (each audited)
   */
  async set(
    actor: RequestActor,
    unitId: string,
    agencyCode: string,
  ): Promise<{ unitId: string; agencyCode: string }> {
    const where = { actor, action: 'unit.agency_code_set', target: unitId }
    return auditRefusals(this.audit, where, async () => {
      const unit = await this.storage.org.unitById(unitId)
      if (unit === null) {
        throw notFound('单位')
      }
      if (!canAdministerUnit(actor.subject, unit.path)) {
        throw forbidden(
          '超出管理范围：只能管理本单位及下级单位 (outside your administrative scope)',
        )
      }
      if (!isAgencyCode(agencyCode)) {
        throw badRequest(
          `机关代字无效：1–20 个字符，不含空格、括号或数字，如 鲁政办发 (invalid agency code)`,
        )
      }
      await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(approvalSetupStores)
        const before = (await stores.agencyCodes.of([unitId])).get(unitId) ?? null
        await stores.agencyCodes.put({
          unit_id: unitId,
          agency_code: agencyCode,
          updated_at: this.now(),
          updated_by: actor.userId,
        })
        uow.audit({
          ...actor.event,
          action: 'unit.agency_code_set',
          target: unitId,
          detail: { from: before, to: agencyCode },
        })
      })
      return { unitId, agencyCode }
    })
  }

  /** @returns every unit's own 机关代字 (not inherited), by unit id. */
  all(): Promise<Map<string, string>> {
    return this.stores.agencyCodes.all()
  }

  /** @returns the 机关代字 of the unit or of its nearest ancestor that has one, or null. */
  async agencyCodeOf(unitId: string): Promise<string | null> {
    const unit = await this.storage.org.unitById(unitId)
    if (unit === null) {
      return null
    }
    const chain = pathIds(unit.path).reverse()
    const codes = await this.stores.agencyCodes.of(chain)
    for (const id of chain) {
      const code = codes.get(id)
      if (code !== undefined) {
        return code
      }
    }
    return null
  }
}
