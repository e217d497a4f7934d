/** The org tree: create, rename, reorder, move (with its subtree) and delete units. */
import type { Storage } from '../storage/Storage'
import type { UnitRow } from '../storage/OrgStore'
import type { AuditService } from '../audit/AuditService'
import type { UnitKind } from '../../shared/domain/org'
import { canAdministerUnit, canContain, pathIds } from '../../shared/domain/org'
import type { ApiUnit } from '../../shared/api'
import { badRequest, conflict, forbidden, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import type { RequestActor } from './actor'

/** @returns the API view of a unit row. */
export function toApiUnit(row: UnitRow): ApiUnit {
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind as UnitKind,
    name: row.name,
    code: row.code,
    sortOrder: row.sort_order,
    path: pathIds(row.path),
  }
}

/** Units and their moves. */
export class OrgService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The whole tree, ordered by path (parents before children). */
  async tree(): Promise<ApiUnit[]> {
    return (await this.storage.org.units()).map(toApiUnit)
  }

  /** Creates a unit under `parentId` (null: a root, system admins only). */
  async create(
    actor: RequestActor,
    input: {
      parentId: string | null
      kind: UnitKind
      name: string
      code: string
      sortOrder?: number | undefined
    },
  ): Promise<ApiUnit> {
    const parent = input.parentId === null ? null : await this.requireUnit(input.parentId)
    await this.requireAdmin(actor, parent?.path ?? null, 'unit.create_denied', input.code)
    if (!canContain((parent?.kind as UnitKind | undefined) ?? null, input.kind)) {
      throw badRequest(`该上级单位下不能建立此类单位 (a ${input.kind} cannot sit there)`)
    }
    if ((await this.storage.org.unitByCode(input.code)) !== null) {
      throw conflict(`单位代码 ${input.code} 已存在 (code taken)`)
    }
    const id = newId()
    const row: UnitRow = {
      id,
      parent_id: parent?.id ?? null,
      kind: input.kind,
      name: input.name,
      code: input.code,
      sort_order: input.sortOrder ?? 0,
      path: `${parent?.path ?? '/'}${id}/`,
      created_at: this.now(),
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.org.insertUnit(row)
      uow.audit({
        ...actor.event,
        action: 'unit.create',
        target: id,
        detail: { name: row.name, code: row.code },
      })
    })
    return toApiUnit(row)
  }

  /** Renames, recodes or reorders a unit. */
  async update(
    actor: RequestActor,
    id: string,
    changes: {
      name?: string | undefined
      code?: string | undefined
      sortOrder?: number | undefined
    },
  ): Promise<ApiUnit> {
    const unit = await this.requireUnit(id)
    await this.requireAdmin(actor, unit.path, 'unit.update_denied', id)
    if (
      changes.code !== undefined &&
      changes.code !== unit.code &&
      (await this.storage.org.unitByCode(changes.code)) !== null
    ) {
      throw conflict(`单位代码 ${changes.code} 已存在 (code taken)`)
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.org.updateUnit(id, {
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.code === undefined ? {} : { code: changes.code }),
        ...(changes.sortOrder === undefined ? {} : { sort_order: changes.sortOrder }),
      })
      uow.audit({ ...actor.event, action: 'unit.update', target: id, detail: { ...changes } })
    })
    return toApiUnit(await this.requireUnit(id))
  }

  /** Moves a unit and its whole subtree under another parent. */
  async move(actor: RequestActor, id: string, parentId: string): Promise<ApiUnit> {
    const unit = await this.requireUnit(id)
    const parent = await this.requireUnit(parentId)
    await this.requireAdmin(actor, unit.path, 'unit.move_denied', id)
    await this.requireAdmin(actor, parent.path, 'unit.move_denied', parentId)
    if (parent.path.startsWith(unit.path)) {
      throw badRequest('不能把单位移动到其自身或下级单位之下 (cannot move a unit into itself)')
    }
    if (!canContain(parent.kind as UnitKind, unit.kind as UnitKind)) {
      throw badRequest('目标上级单位不能包含此类单位 (the new parent cannot hold this kind)')
    }
    const newPath = `${parent.path}${unit.id}/`
    await this.storage.unitOfWork(async (uow) => {
      await uow.org.moveUnit(id, parent.id, unit.path, newPath)
      uow.audit({
        ...actor.event,
        action: 'unit.move',
        target: id,
        detail: { from: unit.parent_id, to: parent.id },
      })
    })
    return toApiUnit(await this.requireUnit(id))
  }

  /** Deletes an empty unit. */
  async remove(actor: RequestActor, id: string): Promise<void> {
    const unit = await this.requireUnit(id)
    await this.requireAdmin(actor, unit.path, 'unit.delete_denied', id)
    const usage = await this.storage.org.unitUsage(id, unit.path)
    if (usage.units > 0 || usage.accounts > 0) {
      throw conflict(
        `该单位下还有 ${usage.units} 个单位、${usage.accounts} 个岗位，不能删除 (not empty)`,
      )
    }
    await this.storage.unitOfWork(async (uow) => {
      await uow.org.deleteUnit(id)
      uow.audit({
        ...actor.event,
        action: 'unit.delete',
        target: id,
        detail: { name: unit.name, code: unit.code },
      })
    })
  }

  /** @throws DomainError 404 */
  async requireUnit(id: string): Promise<UnitRow> {
    const unit = await this.storage.org.unitById(id)
    if (unit === null) {
      throw notFound('单位')
    }
    return unit
  }

  /** @throws DomainError 403 (and audits the attempt) unless the actor administers `path`. */
  async requireAdmin(
    actor: RequestActor,
    path: string | null,
    deniedAction: string,
    target: string | null,
  ): Promise<void> {
    if (canAdministerUnit(actor.subject, path)) {
      return
    }
    await this.audit.record({ ...actor.event, action: deniedAction, target, detail: { path } })
    throw forbidden('超出管理范围：只能管理本单位及下级单位 (outside your administrative scope)')
  }
}
