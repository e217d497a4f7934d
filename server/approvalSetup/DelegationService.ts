/**
 * Delegations (代签/代批): a leader lets a deputy (usually a secretary) act for them, for 签发 only
 * or for every approval action, until a time. Made and revoked by the leader; the approvals
 * service reads those in force through the `DelegationLookup` port.
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import type { DelegationView } from '../../shared/http/routes/approvalSetup'
import type { DelegationScope } from '../../shared/approvals'
import { badRequest, conflict, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import type { ApprovalSetupStores } from '../storage/approvalSetup/stores'
import { approvalSetupStores } from '../storage/approvalSetup/stores'
import type { DelegationRow } from '../storage/approvalSetup/DelegationStore'
import { auditRefusals } from './refusals'

/** Bounds of delegations. */
export const DELEGATION_LIMITS = {
  /** The furthest `until` from now (a delegation is renewed, not given for ever). */
  maxDays: 366,
  /** Delegations of one leader in force at once. */
  inForce: 50,
  /** Rows listed per direction. */
  listed: 200,
} as const

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Told after a delegation to `deputyId` was made or revoked (the approvals module publishes the
 * deputy's 待办 counts again; wired in server/app.ts, so set-up never imports approvals). It must
 * not throw: its failures are its own to log.
 */
export type DelegationsChanged = (deputyId: string) => Promise<void>

/** Makes, lists and revokes delegations. */
export class DelegationService {
  constructor(
    private readonly storage: Storage,
    private readonly stores: ApprovalSetupStores,
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
    private readonly changed: DelegationsChanged = async () => {},
  ) {}

  /**
   * The signed-in leader delegates to `toUserId` until `until` (ISO UTC ms).
   * @throws DomainError 400 self-delegation or an `until` not in the next year; 404 unknown deputy;
   *   409 deactivated deputy or too many delegations (each audited)
   */
  async create(
    actor: RequestActor,
    input: { readonly toUserId: string; readonly scope: DelegationScope; readonly until: string },
  ): Promise<{ id: string }> {
    const id = newId()
    const where = { actor, action: 'delegation.create', target: id }
    return auditRefusals(this.audit, where, async () => {
      const now = this.now()
      const until = Date.parse(input.until)
      if (input.toUserId === actor.userId) {
        throw badRequest('不能委托给自己 (you cannot delegate to yourself)')
      }
      if (!(until > now)) {
        throw badRequest('委托截止时间须晚于当前时间 (until must be in the future)')
      }
      if (until > now + DELEGATION_LIMITS.maxDays * DAY_MS) {
        throw badRequest(
          `委托期限不能超过 ${DELEGATION_LIMITS.maxDays} 天 (at most ${DELEGATION_LIMITS.maxDays} days)`,
        )
      }
      const deputy = await this.storage.users.byId(input.toUserId)
      if (deputy === null) {
        throw notFound('被委托人')
      }
      if (deputy.active !== 1) {
        throw conflict('被委托人账号已停用，不能接受委托 (the deputy is deactivated)')
      }
      await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(approvalSetupStores)
        await stores.devices.lockAccount(actor.userId)
        if (
          (await stores.delegations.inForceCountFrom(actor.userId, now)) >=
          DELEGATION_LIMITS.inForce
        ) {
          throw conflict(
            `生效中的委托已达 ${DELEGATION_LIMITS.inForce} 项，请先撤销 (too many delegations)`,
          )
        }
        await stores.delegations.insert({
          id,
          from_user_id: actor.userId,
          to_user_id: deputy.id,
          scope: input.scope,
          valid_until: until,
          created_at: now,
          revoked_at: null,
        })
        uow.audit({
          ...actor.event,
          action: 'delegation.create',
          target: id,
          detail: {
            to: deputy.id,
            toName: deputy.display_name,
            scope: input.scope,
            until: input.until,
          },
        })
      })
      this.tell(deputy.id)
      return { id }
    })
  }

  /** Tells the hook without holding up the answer. */
  private tell(deputyId: string): void {
    void this.changed(deputyId).catch(() => {})
  }

  /** @returns the delegations the signed-in account gave and those it received, newest first. */
  async list(
    actor: RequestActor,
  ): Promise<{ given: DelegationView[]; received: DelegationView[] }> {
    const [given, received] = await Promise.all([
      this.stores.delegations.givenBy(actor.userId, DELEGATION_LIMITS.listed),
      this.stores.delegations.givenTo(actor.userId, DELEGATION_LIMITS.listed),
    ])
    const ids = new Set(
      [...given, ...received].flatMap((row) => [row.from_user_id, row.to_user_id]),
    )
    const names = new Map(
      (await this.storage.org.usersByIds([...ids])).map((user) => [user.id, user.display_name]),
    )
    const view = (row: DelegationRow): DelegationView => ({
      id: row.id,
      fromUserId: row.from_user_id,
      fromName: names.get(row.from_user_id) ?? '',
      toUserId: row.to_user_id,
      toName: names.get(row.to_user_id) ?? '',
      scope: row.scope === 'all' ? 'all' : 'signoff',
      until: new Date(row.valid_until).toISOString(),
      createdAt: new Date(row.created_at).toISOString(),
      revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
    })
    return { given: given.map(view), received: received.map(view) }
  }

  /**
   * The leader who gave it revokes a delegation (revoking a revoked one changes nothing).
   * @throws DomainError 404 when the caller did not give it (audited)
   */
  async revoke(actor: RequestActor, id: string): Promise<void> {
    await auditRefusals(
      this.audit,
      { actor, action: 'delegation.revoke', target: id },
      async () => {
        const row = await this.stores.delegations.byId(id)
        if (row === null || row.from_user_id !== actor.userId) {
          throw notFound('委托')
        }
        await this.storage.unitOfWork(async (uow) => {
          const at = this.now()
          if (await uow.bind(approvalSetupStores).delegations.revoke(id, at)) {
            uow.audit({
              ...actor.event,
              action: 'delegation.revoke',
              target: id,
              detail: { to: row.to_user_id, revokedAt: new Date(at).toISOString() },
            })
          }
        })
        this.tell(row.to_user_id)
      },
    )
  }
}
