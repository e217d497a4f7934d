/**
 * Document notices from what updates did: new 批注 (to the document's owner, replies to the thread's
 * author), new 修订 (to the owner) and decided 修订 (to the suggestion's author). Like the mentions,
 * it observes the room's own Y.Doc after the policy judged and integrated an update: the actor is the
 * authenticated user of the connection that sent it, the entries are those the document now holds,
 * and content the room had already (a resync, another node's copy, a load) raises nothing. A new
 * suggestion is told SUGGESTION_SETTLE_MS later, quoting its text as typed by then.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Extension, RoomPayload } from '../relay/hooks'
import { Connection } from '../relay/Connection'
import { PRIORITY } from './priorities'
import type { DocumentNotices, NoticeSource } from '../services/DocumentNotices'
import { commentActivity, suggestionActivity } from '../services/annotationActivity'
import type { Found, SuggestionActivity } from '../services/annotationActivity'
import { COMMENTS_ROOT, META_ROOT, SUGGESTIONS_ROOT } from '../../shared/gongwen/yBody'

/**
 * A new suggestion is told this long after it arrives, with its text as it is then: typed 修订
 * grows keystroke by keystroke after its first character, and the notice should quote the words.
 */
export const SUGGESTION_SETTLE_MS = 600

/** @returns the suggestions still in the room, with their text and quote as they are now. */
export function settled(
  suggestions: Y.Map<unknown>,
  found: Found<SuggestionActivity>,
): Found<SuggestionActivity> {
  const items = found.items.flatMap((item) => {
    const entry = suggestions.get(item.suggestionId)
    if (!(entry instanceof Y.Map) || entry.get('status') !== 'open') {
      return []
    }
    const text = entry.get('text')
    const quote = entry.get('quote')
    const kind = entry.get('kind')
    return [
      {
        ...item,
        change: kind === 'insert' || kind === 'delete' ? kind : 'replace',
        text: typeof text === 'string' ? text : item.text,
        quote: typeof quote === 'string' ? quote : item.quote,
      },
    ]
  })
  return { items, total: found.total - (found.items.length - items.length) }
}

/** 批注 and 修订 in document rooms → inbox items. */
export class NoticeExtension implements Extension {
  readonly name = 'notices'
  readonly priority = PRIORITY.notices
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(
    private readonly notices: DocumentNotices,
    private readonly logger: Logger,
    private readonly settleMs = SUGGESTION_SETTLE_MS,
  ) {}

  async onDestroy(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer))
    this.timers.clear()
  }

  async onLoadRoom({ room }: RoomPayload): Promise<void> {
    if (room.parsed.kind !== 'doc') {
      return
    }
    const documentId = room.parsed.id
    const source = (transaction: Y.Transaction): NoticeSource | null => {
      // Only what a signed-in user's connection sent; loads, other nodes and the server are not news.
      const origin: unknown = transaction.origin
      if (!(origin instanceof Connection)) {
        return null
      }
      const title = room.doc.getMap<unknown>(META_ROOT).get('title')
      return {
        documentId,
        actor: { id: origin.identity.userId, name: origin.identity.displayName },
        title: typeof title === 'string' && title !== '' ? title : null,
      }
    }
    const failed = (error: unknown): void =>
      this.logger.error('document notice failed', { documentId, error: String(error) })

    const comments = room.doc.getMap<unknown>(COMMENTS_ROOT)
    comments.observeDeep((events, transaction) => {
      const from = source(transaction)
      if (from === null) {
        return
      }
      const found = commentActivity(comments, events)
      if (found.total > 0) {
        this.notices.commented(from, found).catch(failed)
      }
    })
    const suggestions = room.doc.getMap<unknown>(SUGGESTIONS_ROOT)
    suggestions.observeDeep((events, transaction) => {
      const from = source(transaction)
      if (from === null) {
        return
      }
      const { created, decided } = suggestionActivity(suggestions, events)
      if (created.total > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer)
          const now = settled(suggestions, created)
          if (now.items.length > 0) {
            this.notices.suggested(from, now).catch(failed)
          }
        }, this.settleMs)
        this.timers.add(timer)
      }
      if (decided.total > 0) {
        this.notices.decided(from, decided).catch(failed)
      }
    })
  }
}
