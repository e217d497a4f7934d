/**
 * Meeting rooms (会议室): made and changed by the administrators of their unit (a unit admin in
 * their subtree, a system admin anywhere); each person sees the active rooms of their own units
 * (and the units above them) and the shared ones.
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { RequestActor } from '../services/actor'
import type { MeetingRoomView, OpeningHours } from '../../shared/http/routes/meetings'
import { canAdministerUnit, pathIds } from '../../shared/domain/org'
import { badRequest, forbidden, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import type { MeetingStores, MeetingStoresOn } from '../storage/meetings/stores'
import type { MeetingRoomRow } from '../storage/meetings/RoomStore'
import { minutesOf } from './time'
import { refusalsAudited } from './refusals'

/** @returns the client view of a room row. */
export function roomView(row: MeetingRoomRow): MeetingRoomView {
  return {
    id: row.id,
    name: row.name,
    unitId: row.unit_id,
    capacity: Number(row.capacity),
    equipment: JSON.parse(row.equipment) as string[],
    openingHours:
      row.opening_hours === null ? null : (JSON.parse(row.opening_hours) as OpeningHours),
    shared: row.shared === 1,
    active: row.active === 1,
  }
}

/** @returns the opening hours of a room row. */
export function hoursOf(row: MeetingRoomRow): OpeningHours | null {
  return row.opening_hours === null ? null : (JSON.parse(row.opening_hours) as OpeningHours)
}

/**
 * @param units the person's units and those above them (unitsOf)
 * @returns whether the person may book the room: it is active, and theirs or shared
 */
export function bookableWith(room: MeetingRoomRow, units: readonly string[]): boolean {
  return room.active === 1 && (room.shared === 1 || units.includes(room.unit_id))
}

function checkHours(hours: OpeningHours | null | undefined): void {
  if (hours !== null && hours !== undefined && minutesOf(hours.to) <= minutesOf(hours.from)) {
    throw badRequest('开放时间的结束须晚于开始 (opening hours must end after they start)')
  }
}

/** Room input of create and update. */
export interface RoomInput {
  readonly name?: string | undefined
  readonly capacity?: number | undefined
  readonly equipment?: readonly string[] | undefined
  readonly openingHours?: OpeningHours | null | undefined
  readonly shared?: boolean | undefined
  readonly active?: boolean | undefined
}

/** Rooms: create, list, update. */
export class MeetingRoomService {
  constructor(
    private readonly storage: Storage,
    private readonly stores: MeetingStores,
    /** The stores on a unit of work's transaction (`uow.bind(bindStores)`). */
    private readonly bindStores: MeetingStoresOn,
    private readonly audit: AuditService,
    /** Hears every room made or changed (what refusals shared is forgotten). */
    private readonly roomsChanged: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** @throws DomainError 404 unknown unit; 403 outside the admin's scope (audited) */
  async create(
    actor: RequestActor,
    input: RoomInput & { name: string; capacity: number; unitId: string },
  ): Promise<{ id: string }> {
    const id = newId()
    return refusalsAudited(this.audit, actor, 'meeting_room.create', id, async () => {
      await this.requireUnitAdmin(actor, input.unitId)
      checkHours(input.openingHours)
      const row: MeetingRoomRow = {
        id,
        name: input.name,
        unit_id: input.unitId,
        capacity: input.capacity,
        equipment: JSON.stringify([...new Set(input.equipment ?? [])]),
        opening_hours: input.openingHours ? JSON.stringify(input.openingHours) : null,
        shared: input.shared === true ? 1 : 0,
        active: 1,
        created_at: this.now(),
        created_by: actor.userId,
      }
      await this.storage.unitOfWork(async (uow) => {
        await uow.bind(this.bindStores).rooms.insert(row)
        uow.audit({
          ...actor.event,
          action: 'meeting_room.create',
          target: id,
          detail: { unitId: input.unitId, name: input.name, capacity: input.capacity },
        })
      })
      this.roomsChanged()
      return { id }
    })
  }

  /** @throws DomainError 404 unknown room; 403 outside the admin's scope (audited) */
  async update(actor: RequestActor, id: string, input: RoomInput): Promise<MeetingRoomView> {
    return refusalsAudited(this.audit, actor, 'meeting_room.update', id, async () => {
      const room = await this.stores.rooms.byId(id)
      if (room === null) {
        throw notFound('会议室')
      }
      await this.requireUnitAdmin(actor, room.unit_id)
      checkHours(input.openingHours)
      const changes: Partial<MeetingRoomRow> = {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.capacity === undefined ? {} : { capacity: input.capacity }),
        ...(input.equipment === undefined
          ? {}
          : { equipment: JSON.stringify([...new Set(input.equipment)]) }),
        ...(input.openingHours === undefined
          ? {}
          : {
              opening_hours:
                input.openingHours === null ? null : JSON.stringify(input.openingHours),
            }),
        ...(input.shared === undefined ? {} : { shared: input.shared ? 1 : 0 }),
        ...(input.active === undefined ? {} : { active: input.active ? 1 : 0 }),
      }
      await this.storage.unitOfWork(async (uow) => {
        if (Object.keys(changes).length > 0) {
          await uow.bind(this.bindStores).rooms.update(id, changes)
        }
        uow.audit({
          ...actor.event,
          action: 'meeting_room.update',
          target: id,
          detail: { ...input },
        })
      })
      this.roomsChanged()
      return roomView({ ...room, ...changes })
    })
  }

  /** @returns a room, active or not. */
  async byId(id: string): Promise<MeetingRoomRow | null> {
    return this.stores.rooms.byId(id)
  }

  /** @returns the active rooms the person may see and book. */
  async visible(userId: string): Promise<MeetingRoomRow[]> {
    return this.stores.rooms.visible(await this.unitsOf(userId))
  }

  /**
   * @returns for the rooms admin list: the active rooms the person sees, and the deactivated ones
   *   of the units they administer (greyed there, never offered for booking)
   */
  async administered(actor: RequestActor): Promise<MeetingRoomRow[]> {
    const rows = await this.stores.rooms.visible(await this.unitsOf(actor.userId), true)
    const paths = new Map<string, string | null>()
    const kept: MeetingRoomRow[] = []
    for (const row of rows) {
      if (row.active === 1) {
        kept.push(row)
        continue
      }
      if (!paths.has(row.unit_id)) {
        paths.set(row.unit_id, (await this.storage.org.unitById(row.unit_id))?.path ?? null)
      }
      const path = paths.get(row.unit_id) ?? null
      if (path !== null && canAdministerUnit(actor.subject, path)) {
        kept.push(row)
      }
    }
    return kept
  }

  /** @returns whether the person may book this room (bookableWith; their units read only if needed). */
  async mayBook(userId: string, room: MeetingRoomRow): Promise<boolean> {
    const needsUnits = room.active === 1 && room.shared !== 1
    return bookableWith(room, needsUnits ? await this.unitsOf(userId) : [])
  }

  /** @returns the units whose rooms a person sees: those of their posts, and the units above. */
  async unitsOf(userId: string): Promise<string[]> {
    const paths = await this.stores.rooms.unitPathsOf(userId)
    return [...new Set(paths.flatMap((path) => pathIds(path)))]
  }

  private async requireUnitAdmin(actor: RequestActor, unitId: string): Promise<void> {
    const unit = await this.storage.org.unitById(unitId)
    if (unit === null) {
      throw notFound('单位')
    }
    if (!canAdministerUnit(actor.subject, unit.path)) {
      throw forbidden(
        '只有本单位管理员可以管理会议室 (only the unit’s administrators manage its rooms)',
      )
    }
  }
}
