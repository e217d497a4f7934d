/**
 * An in-memory search index of the directory: every active account with its pinyin keys, post
 * titles, unit names and unit paths, sorted by pinyin. A search scans it in memory and stops at the
 * limit, so name, post and unit queries cost a few milliseconds at 100,000 accounts, where a SQL
 * LIKE '%…%' over the tables cost hundreds (no B-tree index serves a substring of Chinese text).
 *
 * Freshness: the directory service marks the index stale after every change it projects, and the
 * next search waits for the reload. The index also expires after `maxAgeMs` (changes made on
 * another relay node); an expired index keeps serving while its replacement loads in the background.
 */
import type { Storage } from '../storage/Storage'
import type { AccountRole } from '../../shared/domain/roles'
import type { PhoneVisibility } from '../../shared/domain/org'
import { phoneVisible } from './phoneVisibility'
import type { DirectoryViewer } from './phoneVisibility'
import { parseRoles } from './accountViews'

/** One account as the index holds it. */
interface IndexedAccount {
  readonly id: string
  readonly name: string
  readonly pinyin: string
  readonly initials: string
  readonly username: string
  /** Post titles and unit names, lower case, joined by a separator no query contains. */
  readonly placement: string
  readonly unitPaths: readonly string[]
  /** The phone number's digits ('' without one), found only by viewers who may see it. */
  readonly phoneDigits: string
  readonly phoneVisibility: PhoneVisibility
  /** The path of the account's own unit, and its roles (for phone visibility). */
  readonly ownerPath: string | null
  readonly roles: readonly AccountRole[]
}

/** A query of digits this long or longer also looks in phone numbers (the last 4, a 3-digit 分机). */
const PHONE_QUERY = /^\d{3,20}$/

const SEPARATOR = '\u0000'

/** Directory search over an in-memory copy of the accounts. */
export class DirectoryIndex {
  private accounts: readonly IndexedAccount[] | null = null
  /** Bumped by every invalidation; a load is current when it started at the latest generation. */
  private generation = 0
  private loadedGeneration = -1
  private loading: { readonly generation: number; readonly done: Promise<void> } | null = null
  private loadedAt = 0

  constructor(
    private readonly storage: Storage,
    private readonly maxAgeMs = 30_000,
  ) {}

  /** Marks the index out of date; the next search reloads it in the background. */
  invalidate(): void {
    this.generation++
  }

  /**
   * @returns the ids of up to `limit` active accounts matching `query`, in pinyin order. ASCII
   * queries match the start of the pinyin, the initials or the username; others match any part of
   * the name, a post title or a unit name. `unitPath` keeps accounts posted in that subtree. A query
   * of digits also matches part of a phone number the viewer may see (never a hidden one: a search
   * must not reveal whose number it is).
   */
  async search(
    query: string,
    unitPath: string | undefined,
    limit: number,
    viewer: DirectoryViewer | null = null,
  ): Promise<string[]> {
    const accounts = await this.current()
    const q = query.trim().toLowerCase()
    const ascii = /^[a-z0-9._-]+$/.test(q)
    // 0531-8888 and 138 0000 0000 are written with separators; the digits are what is matched.
    const digits = q.replace(/[\s()+-]/g, '')
    const phone = viewer !== null && PHONE_QUERY.test(digits)
    const ids: string[] = []
    for (const account of accounts) {
      if (ids.length >= limit) {
        break
      }
      if (unitPath !== undefined && !account.unitPaths.some((path) => path.startsWith(unitPath))) {
        continue
      }
      if (
        q === '' ||
        (ascii ? matchesKeys(account, q) : matchesText(account, q)) ||
        (phone && viewer !== null && matchesPhone(account, digits, viewer))
      ) {
        ids.push(account.id)
      }
    }
    return ids
  }

  private async current(): Promise<readonly IndexedAccount[]> {
    if (this.accounts === null || this.loadedGeneration !== this.generation) {
      // A change made through this node is awaited, so its author finds it at once.
      await this.reload()
    } else if (Date.now() - this.loadedAt > this.maxAgeMs) {
      // Expired (changes perhaps made on another node): keep serving while it reloads.
      void this.reload().catch(() => {})
    }
    return this.accounts ?? []
  }

  /** @returns a load that started at the current generation or later (chained after a running one). */
  private reload(): Promise<void> {
    const wanted = this.generation
    if (this.loading !== null && this.loading.generation >= wanted) {
      return this.loading.done
    }
    const before = this.loading?.done ?? Promise.resolve()
    const done = before.catch(() => {}).then(() => this.load(wanted))
    const loading = { generation: wanted, done }
    this.loading = loading
    void done
      .finally(() => {
        if (this.loading === loading) {
          this.loading = null
        }
      })
      .catch(() => {})
    return done
  }

  private async load(generation: number): Promise<void> {
    const [{ users, placements }, units] = await Promise.all([
      this.storage.org.directorySource(),
      this.storage.org.units(),
    ])
    const unitPaths = new Map(units.map((unit) => [unit.id, unit.path]))
    const byUser = new Map<string, { text: string[]; paths: string[] }>()
    for (const placement of placements) {
      const entry = byUser.get(placement.user_id) ?? { text: [], paths: [] }
      entry.text.push(placement.title.toLowerCase(), placement.unit_name.toLowerCase())
      entry.paths.push(placement.unit_path)
      byUser.set(placement.user_id, entry)
    }
    this.accounts = users.map((user) => {
      const placed = byUser.get(user.id)
      return {
        id: user.id,
        name: user.display_name.toLowerCase(),
        pinyin: user.pinyin ?? '',
        initials: user.initials ?? '',
        username: user.username.toLowerCase(),
        placement: placed === undefined ? '' : placed.text.join(SEPARATOR),
        unitPaths: placed?.paths ?? [],
        phoneDigits: (user.phone ?? '').replace(/\D/g, ''),
        phoneVisibility: (user.phone_visibility as PhoneVisibility | null) ?? 'unit',
        ownerPath: user.unit_id === null ? null : (unitPaths.get(user.unit_id) ?? null),
        roles: parseRoles(user.roles),
      }
    })
    this.loadedAt = Date.now()
    this.loadedGeneration = Math.max(this.loadedGeneration, generation)
  }
}

function matchesKeys(account: IndexedAccount, q: string): boolean {
  return (
    account.pinyin.startsWith(q) || account.initials.startsWith(q) || account.username.startsWith(q)
  )
}

function matchesPhone(account: IndexedAccount, q: string, viewer: DirectoryViewer): boolean {
  return (
    account.phoneDigits.includes(q) &&
    phoneVisible(account.phoneVisibility, viewer, account.ownerPath, account.roles)
  )
}

function matchesText(account: IndexedAccount, q: string): boolean {
  return account.name.includes(q) || account.placement.includes(q)
}
