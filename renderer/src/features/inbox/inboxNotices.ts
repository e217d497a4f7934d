/**
 * Which inbox items are news for a desktop notification: those that arrive while the user is
 * signed in, after the inbox first came from the relay (what was there before is the bell's to
 * show, not a burst of notifications), unread, each once.
 *
 * @example
 *   const seen = new SeenItems()
 *   seen.fresh(items) // [] at first: the baseline
 *   seen.fresh(later) // the items that arrived since
 */
import type { InboxItem } from '../../../../shared/api'

/** The ids already seen this session. */
export class SeenItems {
  private seen: Set<string> | null = null

  /** Forgets everything (sign-out, another user): the next call sets a new baseline. */
  reset(): void {
    this.seen = null
  }

  /** @returns the unread items not seen before, newest first (none on the first call). */
  fresh(items: readonly InboxItem[]): InboxItem[] {
    if (this.seen === null) {
      this.seen = new Set(items.map((item) => item.id))
      return []
    }
    const seen = this.seen
    const fresh = items.filter((item) => !seen.has(item.id) && item.readAt === null)
    items.forEach((item) => seen.add(item.id))
    return [...fresh].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }
}
