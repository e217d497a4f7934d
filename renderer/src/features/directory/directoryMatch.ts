/**
 * Searching directory entries on this device (offline), with the rules of the relay's search API
 * (server/storage/OrgStore.ts directorySearch): a Latin query matches the start of the full pinyin,
 * the initials or the username ("zw" and "zhangwei" find 张伟); any other query matches part of the
 * name, a post title or a unit name; digits also match part of a phone number the viewer may see.
 */
import type { DirectoryEntry } from '../../../../shared/api'
import { postRank } from '../../../../shared/domain/postRank'
import { isRecord } from '../../stores/localCache'

const LATIN = /^[a-z0-9._-]+$/
/** Digits this many or more also look in phone numbers (as the relay's search does). */
const PHONE_QUERY = /^\d{3,20}$/

/** @returns whether part of the entry's phone number (as shown to this viewer) is `digits`. */
function phoneMatches(entry: DirectoryEntry, query: string): boolean {
  const digits = query.replace(/[\s()+-]/g, '')
  return (
    PHONE_QUERY.test(digits) &&
    entry.phone !== null &&
    entry.phone.replace(/\D/g, '').includes(digits)
  )
}

/** @returns the query as matched: trimmed, lower case, without inner spaces ("Zhang Wei" → "zhangwei"). */
export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, '')
}

/**
 * @returns how well an entry matches (0 best), or null when it does not match. Exact hits on the
 *   initials, the pinyin or the name come before prefix and partial hits.
 */
export function matchRank(entry: DirectoryEntry, query: string): number | null {
  const q = normalizeQuery(query)
  if (q === '') {
    return 2
  }
  if (phoneMatches(entry, query.trim())) {
    return 1
  }
  if (LATIN.test(q)) {
    if (entry.pinyin === q || entry.initials === q || entry.username.toLowerCase() === q) {
      return 0
    }
    if (
      entry.pinyin.startsWith(q) ||
      entry.initials.startsWith(q) ||
      entry.username.toLowerCase().startsWith(q)
    ) {
      return 1
    }
    return null
  }
  if (entry.displayName === q) {
    return 0
  }
  if (entry.displayName.includes(q)) {
    return 1
  }
  if (entry.posts.some((p) => p.title.includes(q) || p.unitName.includes(q))) {
    return 2
  }
  return null
}

/** @returns the matching entries, each once, best first and then in pinyin order. */
export function searchEntries(
  entries: Iterable<DirectoryEntry>,
  query: string,
  limit = 50,
): DirectoryEntry[] {
  const best = new Map<string, { entry: DirectoryEntry; rank: number }>()
  for (const entry of entries) {
    const rank = matchRank(entry, query)
    const seen = best.get(entry.id)
    if (rank !== null && (seen === undefined || rank < seen.rank)) {
      best.set(entry.id, { entry, rank })
    }
  }
  return [...best.values()]
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.entry.pinyin.localeCompare(b.entry.pinyin) ||
        a.entry.username.localeCompare(b.entry.username),
    )
    .slice(0, limit)
    .map((hit) => hit.entry)
}

/** @returns the level of an entry's best post in a unit (shared/domain/postRank.ts). */
function rankIn(entry: DirectoryEntry, unitId: string | null): number {
  const posts = entry.posts.filter((post) => unitId === null || post.unitId === unitId)
  return Math.min(...posts.map((post) => postRank(post.title)), postRank(''))
}

/**
 * @returns entries sorted for a unit's member list, in the unit's rank order: by the level of
 *   the post each holds in `unitId` (leaders first), then pinyin, then username.
 */
export function sortMembers(
  entries: Iterable<DirectoryEntry>,
  unitId: string | null = null,
): DirectoryEntry[] {
  return [...entries]
    .map((entry) => ({ entry, rank: rankIn(entry, unitId) }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.entry.pinyin.localeCompare(b.entry.pinyin) ||
        a.entry.username.localeCompare(b.entry.username),
    )
    .map((ranked) => ranked.entry)
}

/** @returns whether a value read from a directory room is a DirectoryEntry (rooms outlive builds). */
export function isDirectoryEntry(value: unknown): value is DirectoryEntry {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.displayName === 'string' &&
    typeof value.username === 'string' &&
    typeof value.pinyin === 'string' &&
    typeof value.initials === 'string' &&
    (value.phone === null || typeof value.phone === 'string') &&
    Array.isArray(value.posts) &&
    value.posts.every(
      (p) =>
        isRecord(p) &&
        typeof p.unitId === 'string' &&
        typeof p.unitName === 'string' &&
        typeof p.title === 'string',
    )
  )
}
