/**
 * Finds @mentions in the `comments` of document rooms as they arrive from clients, and hands them
 * to the inbox. The server observes the room's own Y.Doc rather than trusting a client call: the
 * author is the authenticated user of the connection that sent the update, and only what is new to
 * the room raises events, so a client resyncing the same comments notifies nobody twice.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Extension, RoomPayload } from '../relay/hooks'
import { Connection } from '../relay/Connection'
import { PRIORITY } from './priorities'
import type { InboxService, MentionEvent } from '../services/InboxService'
import { COMMENTS_ROOT, META_ROOT } from '../../shared/gongwen/yBody'

type Found = Omit<MentionEvent, 'documentId' | 'actor' | 'title'>

function strings(value: unknown): string[] {
  const list = value instanceof Y.Array ? value.toArray() : value
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** A reply as threads.ts writes it: a plain object in the thread's `replies` array. */
function replyMentions(threadId: string, reply: unknown): Found | null {
  if (typeof reply !== 'object' || reply === null) {
    return null
  }
  const id = 'id' in reply ? reply.id : null
  const mentioned = strings('mentions' in reply ? reply.mentions : null)
  if (typeof id !== 'string' || mentioned.length === 0) {
    return null
  }
  return { threadId, replyId: id, mentioned, text: text('text' in reply ? reply.text : '') }
}

/** Every mention of a thread and its replies (a thread that is new to the room). */
function threadMentions(threadId: string, thread: Y.Map<unknown>): Found[] {
  const found: Found[] = []
  const mentioned = strings(thread.get('mentions'))
  if (mentioned.length > 0) {
    found.push({ threadId, replyId: null, mentioned, text: text(thread.get('text')) })
  }
  const replies = thread.get('replies')
  for (const reply of replies instanceof Y.Array ? replies.toArray() : []) {
    const one = replyMentions(threadId, reply)
    if (one !== null) {
      found.push(one)
    }
  }
  return found
}

/** @returns the mentions a transaction's events added to the comments map. */
export function newMentions(
  comments: Y.Map<unknown>,
  events: readonly Y.YEvent<Y.AbstractType<unknown>>[],
): Found[] {
  const found: Found[] = []
  for (const event of events) {
    const [threadId, field] = event.path
    if (event.target === comments && event instanceof Y.YMapEvent) {
      for (const [key, change] of event.changes.keys) {
        const thread = comments.get(key)
        if (change.action !== 'delete' && thread instanceof Y.Map) {
          found.push(...threadMentions(key, thread))
        }
      }
    } else if (
      typeof threadId === 'string' &&
      field === undefined &&
      event instanceof Y.YMapEvent
    ) {
      const thread = comments.get(threadId)
      if (!(thread instanceof Y.Map)) {
        continue
      }
      const mentions = event.changes.keys.get('mentions')
      if (mentions !== undefined && mentions.action !== 'delete') {
        const before = new Set(strings(mentions.oldValue))
        const added = strings(thread.get('mentions')).filter((id) => !before.has(id))
        if (added.length > 0) {
          found.push({ threadId, replyId: null, mentioned: added, text: text(thread.get('text')) })
        }
      }
      const replies = event.changes.keys.get('replies')
      const list = thread.get('replies')
      if (replies !== undefined && replies.action !== 'delete' && list instanceof Y.Array) {
        found.push(...list.toArray().flatMap((reply) => replyMentions(threadId, reply) ?? []))
      }
    } else if (
      typeof threadId === 'string' &&
      field === 'replies' &&
      event instanceof Y.YArrayEvent
    ) {
      for (const item of event.changes.added) {
        for (const reply of item.content.getContent()) {
          const one = replyMentions(threadId, reply)
          if (one !== null) {
            found.push(one)
          }
        }
      }
    }
  }
  return found
}

/** Mentions in document rooms → inbox items. */
export class MentionExtension implements Extension {
  readonly name = 'mentions'
  readonly priority = PRIORITY.mentions

  constructor(
    private readonly inbox: InboxService,
    private readonly logger: Logger,
  ) {}

  async onLoadRoom({ room }: RoomPayload): Promise<void> {
    if (room.parsed.kind !== 'doc') {
      return
    }
    const documentId = room.parsed.id
    const comments = room.doc.getMap<unknown>(COMMENTS_ROOT)
    comments.observeDeep((events, transaction) => {
      // Only what a signed-in user's connection sent; loads, other nodes and the server are not news.
      const origin: unknown = transaction.origin
      if (!(origin instanceof Connection)) {
        return
      }
      const found = newMentions(comments, events)
      if (found.length === 0) {
        return
      }
      const title = room.doc.getMap<unknown>(META_ROOT).get('title')
      const actor = { id: origin.identity.userId, name: origin.identity.displayName }
      for (const mention of found) {
        this.inbox
          .mention({
            ...mention,
            documentId,
            actor,
            title: typeof title === 'string' && title !== '' ? title : null,
          })
          .catch((error: unknown) =>
            this.logger.error('mention notification failed', { documentId, error: String(error) }),
          )
      }
    })
  }
}
