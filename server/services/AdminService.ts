/** Account administration: list, create with posts, edit, move, deactivate with a successor, reactivate, reset. */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { PostRow } from '../storage/OrgStore'
import type { AuditService } from '../audit/AuditService'
import type { AccountService } from './AccountService'
import type { OrgService } from './OrgService'
import type { RelayControl } from '../relay/ports'
import type { RequestActor } from './actor'
import type { ApiAccount, ApiPost } from '../../shared/api'
import type { AccountRole } from '../../shared/domain/roles'
import { ACCOUNT_ROLES } from '../../shared/domain/roles'
import type { PhoneVisibility } from '../../shared/domain/org'
import {
  canAdministerUnit,
  canGrantRoles,
  canManageAccount,
  rolesBeyondReach,
} from '../../shared/domain/org'
import { badRequest, forbidden, notFound } from '../domain/errors'
import { hashSecret, newActivationCode, newId } from '../auth/secrets'
import { parseRoles, toApiUser } from './accountViews'
import { nameIndex } from './nameIndex'
import type { DirectoryService } from './DirectoryService'

/** @returns the admin view of an account. */
export function toApiAccount(row: UserRow, posts: readonly PostRow[]): ApiAccount {
  return {
    ...toApiUser(row),
    active: row.active === 1,
    phone: row.phone,
    phoneVisibility: (row.phone_visibility as PhoneVisibility | null) ?? 'unit',
    posts: posts.map((p) => ({ unitId: p.unit_id, title: p.title, primary: p.is_primary === 1 })),
    lockedUntil:
      row.locked_until !== null && row.locked_until > Date.now()
        ? new Date(row.locked_until).toISOString()
        : null,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

/** Input of account creation. */
export interface CreateAccountInput {
  readonly username: string
  readonly displayName: string
  readonly unitId?: string | undefined
  readonly roles?: readonly AccountRole[] | undefined
  readonly password?: string | undefined
  readonly phone?: string | undefined
  readonly posts?: readonly { unitId: string; title: string }[] | undefined
}

/** Accounts as admins manage them. */
export class AdminService {
  constructor(
    private readonly storage: Storage,
    private readonly accounts: AccountService,
    private readonly org: OrgService,
    private readonly audit: AuditService,
    private readonly control: RelayControl,
    private readonly directory: DirectoryService,
  ) {}

  /** Accounts inside the actor's scope. */
  async list(
    actor: RequestActor,
    filter: {
      unitId?: string | undefined
      query?: string | undefined
      active?: boolean | undefined
    },
    limit: number,
    offset: number,
  ): Promise<{ accounts: ApiAccount[]; total: number }> {
    let unitPath: string | undefined
    if (filter.unitId !== undefined) {
      const unit = await this.org.requireUnit(filter.unitId)
      await this.org.requireAdmin(actor, unit.path, 'user.list_denied', unit.id)
      unitPath = unit.path
    } else if (!actor.subject.roles.includes('sysadmin')) {
      const own =
        actor.subject.unitId === null ? null : await this.storage.org.unitById(actor.subject.unitId)
      if (own === null) {
        throw forbidden()
      }
      unitPath = own.path
    }
    // Accounts holding a role the actor cannot grant (a system administrator in a unit admin's
    // unit) are not theirs to see, just as they are not theirs to change.
    const withoutRoles = rolesBeyondReach(actor.subject, ACCOUNT_ROLES)
    const { rows, total } = await this.storage.org.users(
      { unitPath, query: filter.query, active: filter.active, withoutRoles },
      limit,
      offset,
    )
    const posts = await this.storage.org.postsOfUsers(rows.map((r) => r.id))
    return {
      accounts: rows.map((row) =>
        toApiAccount(
          row,
          posts.filter((p) => p.user_id === row.id),
        ),
      ),
      total,
    }
  }

  /** One account. */
  async get(actor: RequestActor, id: string): Promise<ApiAccount> {
    const user = await this.requireManaged(actor, id, 'user.read_denied')
    return toApiAccount(user, await this.storage.org.postsOfUsers([id]))
  }

  /** Creates an account with its posts. @returns it, with the activation code when no password was given. */
  async create(
    actor: RequestActor,
    input: CreateAccountInput,
  ): Promise<ApiAccount & { activationCode?: string }> {
    const posts = await this.checkPlacement(
      actor,
      input.unitId ?? null,
      input.posts ?? [],
      input.roles ?? [],
      input.username,
    )
    const { user: row, activationCode } = await this.accounts.newAccount(input)
    const user: UserRow = { ...row, phone: input.phone ?? null }
    const rows = posts.map((p, i) => postRow(user.id, p, i))
    await this.accounts.inserting(user.username, async (uow) => {
      await uow.users.insert(user)
      await uow.org.setPosts(user.id, rows)
      uow.audit({
        ...actor.event,
        action: 'user.create',
        target: user.id,
        detail: { username: user.username, unitId: user.unit_id, roles: parseRoles(user.roles) },
      })
    })
    await this.directory.refreshUnits(rows.map((r) => r.unit_id))
    const account = toApiAccount(user, rows)
    return activationCode === null ? account : { ...account, activationCode }
  }

  /** Edits names, roles, phone settings and posts. */
  async update(
    actor: RequestActor,
    id: string,
    changes: {
      displayName?: string | undefined
      roles?: readonly AccountRole[] | undefined
      phone?: string | null | undefined
      phoneVisibility?: PhoneVisibility | undefined
      posts?: readonly { unitId: string; title: string }[] | undefined
    },
  ): Promise<ApiAccount> {
    const user = await this.requireManaged(actor, id, 'user.update_denied')
    const unitsBefore = await this.directory.unitsOf([id])
    if (changes.roles !== undefined && !canGrantRoles(actor.subject, changes.roles)) {
      await this.audit.record({
        ...actor.event,
        action: 'user.roles_denied',
        target: id,
        detail: { roles: changes.roles },
      })
      throw forbidden('无权授予该角色 (you cannot grant that role)')
    }
    const posts =
      changes.posts === undefined
        ? null
        : await this.checkPlacement(actor, user.unit_id, changes.posts, [], user.username)
    const renamed = changes.displayName === undefined ? null : await nameIndex(changes.displayName)
    await this.storage.unitOfWork(async (uow) => {
      if (posts !== null) {
        await uow.org.setPosts(
          id,
          posts.map((p, i) => postRow(id, p, i)),
        )
      }
      const fields = {
        ...(changes.displayName === undefined
          ? {}
          : { display_name: changes.displayName, ...renamed }),
        ...(changes.roles === undefined ? {} : { roles: JSON.stringify(changes.roles) }),
        ...(changes.phone === undefined ? {} : { phone: changes.phone }),
        ...(changes.phoneVisibility === undefined
          ? {}
          : { phone_visibility: changes.phoneVisibility }),
      }
      if (Object.keys(fields).length > 0) {
        await uow.users.update(id, fields)
      }
      if (changes.roles !== undefined) {
        uow.audit({
          ...actor.event,
          action: 'user.roles_changed',
          target: id,
          detail: { from: parseRoles(user.roles), to: changes.roles },
        })
      }
      uow.audit({
        ...actor.event,
        action: 'user.update',
        target: id,
        detail: { fields: Object.keys(changes) },
      })
    })
    await this.directory.refreshUnits([...unitsBefore, ...(await this.directory.unitsOf([id]))])
    return this.get(actor, id)
  }

  /** Moves an account to another primary unit. */
  async move(actor: RequestActor, id: string, unitId: string): Promise<ApiAccount> {
    const user = await this.requireManaged(actor, id, 'user.move_denied')
    const unit = await this.org.requireUnit(unitId)
    await this.org.requireAdmin(actor, unit.path, 'user.move_denied', id)
    const posts = await this.storage.org.postsOfUsers([id])
    const rows = posts.map((p) => (p.is_primary === 1 ? { ...p, unit_id: unitId } : p))
    await this.storage.unitOfWork(async (uow) => {
      await uow.org.setPosts(id, rows)
      await uow.users.update(id, { unit_id: unitId })
      uow.audit({
        ...actor.event,
        action: 'user.move',
        target: id,
        detail: { from: user.unit_id, to: unitId },
      })
    })
    await this.directory.refreshUnits([...posts.map((p) => p.unit_id), unitId])
    return this.get(actor, id)
  }

  /** Deactivates an account; a successor receives the documents it owned. */
  async deactivate(
    actor: RequestActor,
    id: string,
    successorId: string | null,
  ): Promise<{ transferred: number }> {
    await this.requireManaged(actor, id, 'user.deactivate_denied')
    if (id === actor.userId) {
      throw badRequest('不能停用自己的账号 (you cannot deactivate yourself)')
    }
    if (successorId !== null) {
      const successor = await this.storage.users.byId(successorId)
      if (successor === null || successor.active !== 1 || successorId === id) {
        throw badRequest('接替人无效 (the successor must be another active account)')
      }
    }
    const transferred = await this.storage.unitOfWork(async (uow) => {
      const moved =
        successorId === null ? 0 : await uow.documents.transferOwnership(id, successorId)
      await uow.users.update(id, { active: 0, deactivated_at: Date.now() })
      await uow.sessions.deleteOfUser(id)
      uow.audit({
        ...actor.event,
        action: 'user.deactivate',
        target: id,
        detail: { successorId, transferred: moved },
      })
      return moved
    })
    // Its sockets close once the deactivation is committed (within a second, DESIGN.md §6).
    this.control.userDeactivated(id)
    await this.directory.refreshUnits(await this.directory.unitsOf([id]))
    return { transferred }
  }

  /** Reactivates an account. */
  async reactivate(actor: RequestActor, id: string): Promise<ApiAccount> {
    const user = await this.requireManaged(actor, id, 'user.reactivate_denied')
    await this.storage.unitOfWork(async (uow) => {
      await uow.users.update(id, { active: 1, deactivated_at: null })
      await uow.users.markLocked(user.username, null, 0)
      uow.audit({ ...actor.event, action: 'user.reactivate', target: id })
    })
    await this.accounts.clearLockout(user.username)
    await this.directory.refreshUnits(await this.directory.unitsOf([id]))
    return this.get(actor, id)
  }

  /** Replaces the password with a new one-time activation code and ends the account's sessions. */
  async resetPassword(actor: RequestActor, id: string): Promise<{ activationCode: string }> {
    const user = await this.requireManaged(actor, id, 'user.reset_denied')
    const activationCode = newActivationCode()
    const ended = await this.storage.unitOfWork(async (uow) => {
      await uow.users.update(id, {
        password_hash: null,
        activation_hash: hashSecret(activationCode),
        must_change_password: 1,
      })
      await uow.users.markLocked(user.username, null, 0)
      uow.audit({ ...actor.event, action: 'user.password_reset', target: id })
      return uow.sessions.deleteOfUser(id)
    })
    await this.accounts.clearLockout(user.username)
    for (const tokenHash of ended) {
      this.control.sessionEnded(tokenHash)
    }
    return { activationCode }
  }

  /**
   * Every action on an account passes here: the account must lie in the actor's units and hold no
   * role the actor could not grant (canManageAccount).
   * @throws DomainError 404, or 403 (audited) when the account is outside the actor's scope.
   */
  private async requireManaged(
    actor: RequestActor,
    id: string,
    deniedAction: string,
  ): Promise<UserRow> {
    const user = await this.storage.users.byId(id)
    if (user === null) {
      throw notFound('用户')
    }
    const unit = user.unit_id === null ? null : await this.storage.org.unitById(user.unit_id)
    await this.org.requireAdmin(actor, unit?.path ?? null, deniedAction, id)
    const roles = parseRoles(user.roles)
    if (!canManageAccount(actor.subject, { unitPath: unit?.path ?? null, roles })) {
      await this.audit.record({
        ...actor.event,
        action: deniedAction,
        target: id,
        detail: { reason: 'role_beyond_reach', roles: rolesBeyondReach(actor.subject, roles) },
      })
      throw forbidden(
        '无权管理该账号：对方拥有您无权授予的角色 (the account holds a role you cannot grant)',
      )
    }
    return user
  }

  /**
   * Checks that the actor may place an account in `unitId` and these post units with these roles.
   * @returns the posts with the primary one first (the primary unit gets a post if none was named).
   */
  private async checkPlacement(
    actor: RequestActor,
    unitId: string | null,
    posts: readonly { unitId: string; title: string }[],
    roles: readonly AccountRole[],
    username: string,
  ): Promise<ApiPost[]> {
    const unitIds = new Set([...(unitId === null ? [] : [unitId]), ...posts.map((p) => p.unitId)])
    for (const id of unitIds) {
      const unit = await this.storage.org.unitById(id)
      if (unit === null) {
        throw badRequest(`单位不存在：${id} (unknown unit)`)
      }
      await this.org.requireAdmin(actor, unit.path, 'user.create_denied', username)
    }
    if (unitId === null && !canAdministerUnit(actor.subject, null)) {
      await this.audit.record({
        ...actor.event,
        action: 'user.create_denied',
        target: username,
        detail: { unitId },
      })
      throw forbidden(
        '单位管理员必须把账号建在本单位内 (unit admins must place accounts in their unit)',
      )
    }
    if (!canGrantRoles(actor.subject, roles)) {
      await this.audit.record({
        ...actor.event,
        action: 'user.roles_denied',
        target: username,
        detail: { roles },
      })
      throw forbidden('无权授予该角色 (you cannot grant that role)')
    }
    const result: ApiPost[] = posts.map((p) => ({
      unitId: p.unitId,
      title: p.title,
      primary: p.unitId === unitId,
    }))
    if (unitId !== null && !result.some((p) => p.primary)) {
      result.unshift({ unitId, title: '工作人员', primary: true })
    }
    // Only the first post in the primary unit is primary.
    let seen = false
    return result
      .map((p) => {
        const primary = p.primary && !seen
        seen ||= primary
        return { ...p, primary }
      })
      .sort((a, b) => Number(b.primary) - Number(a.primary))
  }
}

function postRow(userId: string, post: ApiPost, index: number): PostRow {
  return {
    id: newId(),
    user_id: userId,
    unit_id: post.unitId,
    title: post.title,
    is_primary: post.primary ? 1 : 0,
    sort_order: index,
  }
}
