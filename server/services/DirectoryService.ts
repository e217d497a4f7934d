/**
 * The directory (通讯录): province-wide search through the API, and per-unit read-only rooms
 * `directory:<unitId>` that the server keeps up to date so clients can browse offline.
 */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { UnitRow } from '../storage/OrgStore'
import type { RoomPort } from '../relay/ports'
import type { Logger } from '../logger'
import type { DirectoryEntry } from '../../shared/api'
import type { AdminSubject, PhoneVisibility } from '../../shared/domain/org'
import { isAdministrator } from '../../shared/domain/org'
import { phoneVisible } from './phoneVisibility'
import type { DirectoryViewer } from './phoneVisibility'
import { parseRoles } from './AccountService'
import { DirectoryIndex } from './DirectoryIndex'

export { phoneVisible } from './phoneVisibility'
export type { DirectoryViewer } from './phoneVisibility'

/** Where the directory reads the accounts' device keys in force (approval set-up). */
export interface PublishedKeys {
  /** @returns the active public keys of these accounts, by account id. */
  activeKeysOf(userIds: readonly string[]): Promise<Map<string, string[]>>
}

/** Directory search and room projection. */
export class DirectoryService {
  private readonly index: DirectoryIndex
  private keys: PublishedKeys | null = null

  constructor(
    private readonly storage: Storage,
    /** Where the directory rooms are published. */
    private readonly rooms: RoomPort,
    private readonly logger: Logger,
    /** How long the search index may serve before reloading (changes made on other nodes). */
    indexMaxAgeMs = 30_000,
  ) {
    this.index = new DirectoryIndex(storage, indexMaxAgeMs)
  }

  /** Publishes the accounts' device keys in their entries from now on. */
  publishKeysFrom(keys: PublishedKeys): void {
    this.keys = keys
  }

  /** Tells the search index that accounts, posts or units changed. */
  invalidate(): void {
    this.index.invalidate()
  }

  /** Searches active accounts (optionally within a unit's subtree). */
  async search(
    query: string,
    unitId: string | undefined,
    viewer: DirectoryViewer,
    limit = 50,
  ): Promise<DirectoryEntry[]> {
    const unit = unitId === undefined ? null : await this.storage.org.unitById(unitId)
    if (unitId !== undefined && unit === null) {
      return []
    }
    const ids = await this.index.search(query, unit?.path, limit, viewer)
    return this.entriesOf(ids, viewer)
  }

  /**
   * The people pickers (members, mentions, attendees): directory matches first (pinyin, initials,
   * names, posts, units), then accounts whose username or name holds the query anywhere.
   */
  async pick(query: string, viewer: DirectoryViewer, limit = 20): Promise<DirectoryEntry[]> {
    const ids = await this.index.search(query, undefined, limit, viewer)
    const q = query.trim()
    if (ids.length < limit && q !== '') {
      for (const row of await this.storage.searchUsers(q, limit)) {
        if (ids.length < limit && !ids.includes(row.id)) {
          ids.push(row.id)
        }
      }
    }
    return this.entriesOf(ids, viewer)
  }

  /** @returns the entries of these accounts, in this order, active ones only. */
  private async entriesOf(
    ids: readonly string[],
    viewer: DirectoryViewer,
  ): Promise<DirectoryEntry[]> {
    const byId = new Map((await this.storage.org.usersByIds(ids)).map((row) => [row.id, row]))
    const rows = ids.flatMap((id) => {
      const row = byId.get(id)
      return row === undefined || row.active !== 1 ? [] : [row]
    })
    return this.entries(rows, viewer)
  }

  /** Rewrites the directory rooms of these units from the relational truth. */
  async refreshUnits(unitIds: Iterable<string>): Promise<void> {
    this.index.invalidate()
    for (const unitId of new Set(unitIds)) {
      try {
        const members = await this.storage.org.unitMembers(unitId)
        // Room content is readable by every signed-in user, so phones follow the 'public' rule only.
        const entries = await this.entries(members, { unitPath: null, admin: null })
        await this.rooms.publish(`directory:${unitId}`, (doc) => {
          const map = doc.getMap<DirectoryEntry>('entries')
          const keep = new Set(entries.map((e) => e.id))
          for (const key of [...map.keys()]) {
            if (!keep.has(key)) {
              map.delete(key)
            }
          }
          for (const entry of entries) {
            if (JSON.stringify(map.get(entry.id)) !== JSON.stringify(entry)) {
              map.set(entry.id, entry)
            }
          }
        })
      } catch (error) {
        this.logger.error('directory projection failed', { unitId, error: String(error) })
      }
    }
  }

  /** Units an account appears in (its posts' units). */
  async unitsOf(userIds: readonly string[]): Promise<string[]> {
    return [...new Set((await this.storage.org.postsOfUsers(userIds)).map((p) => p.unit_id))]
  }

  private async entries(
    rows: readonly UserRow[],
    viewer: DirectoryViewer,
  ): Promise<DirectoryEntry[]> {
    const posts = await this.storage.org.postsOfUsers(rows.map((r) => r.id))
    const unitIds = [
      ...new Set(
        posts
          .map((p) => p.unit_id)
          .concat(rows.flatMap((r) => (r.unit_id === null ? [] : [r.unit_id]))),
      ),
    ]
    const units = new Map<string, UnitRow>()
    for (const id of unitIds) {
      const unit = await this.storage.org.unitById(id)
      if (unit !== null) {
        units.set(id, unit)
      }
    }
    const keys =
      (await this.keys?.activeKeysOf(rows.map((r) => r.id))) ?? new Map<string, string[]>()
    return rows.map((row) => {
      const publicKeys = keys.get(row.id)
      const ownerPath = row.unit_id === null ? null : (units.get(row.unit_id)?.path ?? null)
      const visibility = (row.phone_visibility as PhoneVisibility | null) ?? 'unit'
      return {
        id: row.id,
        displayName: row.display_name,
        username: row.username,
        pinyin: row.pinyin ?? '',
        initials: row.initials ?? '',
        posts: posts
          .filter((p) => p.user_id === row.id)
          .map((p) => ({
            unitId: p.unit_id,
            unitName: units.get(p.unit_id)?.name ?? '',
            title: p.title,
          })),
        phone:
          row.phone !== null && phoneVisible(visibility, viewer, ownerPath, parseRoles(row.roles))
            ? row.phone
            : null,
        ...(publicKeys === undefined ? {} : { publicKeys }),
      }
    })
  }
}

/** @returns the directory viewer of an actor: their unit path and, for administrators, their rights. */
export async function directoryViewer(
  storage: Storage,
  subject: AdminSubject,
): Promise<DirectoryViewer> {
  return {
    unitPath: await viewerPath(storage, subject.unitId),
    admin: isAdministrator(subject) ? subject : null,
  }
}

/** @returns the unit path of an account's primary unit, for phone visibility. */
export async function viewerPath(storage: Storage, unitId: string | null): Promise<string | null> {
  return unitId === null ? null : ((await storage.org.unitById(unitId))?.path ?? null)
}
