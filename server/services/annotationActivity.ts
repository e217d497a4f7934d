/**
 * What one integrated transaction did to a document's 批注 and 修订, read from the room's own Y
 * events (never from a client's claim): new threads and replies, new suggestions, and suggestions
 * accepted or rejected. Entries created inside the transaction raise only their parent's event
 * (Yjs does not report changes of types it just created), so a new thread with its replies is one
 * `comments` key; an update the room holds already raises no event at all, so a resync is silent.
 *
 * @example
 *   comments.observeDeep((events) => commentActivity(comments, events))
 */
import * as Y from 'yjs'
import { isReplyRecord } from '../../shared/gongwen/annotations'
import type { SuggestionKind } from '../../shared/gongwen/annotations'

/** Most activities read from one transaction (the rest are counted, not described). */
export const MAX_ACTIVITIES = 200

/** A new thread, or a new reply to a thread. */
export interface CommentActivity {
  readonly threadId: string
  /** The reply, or null for the thread's first comment. */
  readonly replyId: string | null
  readonly text: string
  /** Who the comment @mentions (they hear of it as a mention). */
  readonly mentioned: readonly string[]
  /** The thread's author (for a reply: whom it answers). */
  readonly threadAuthor: string | null
}

/** A new open suggestion. */
export interface SuggestionActivity {
  readonly suggestionId: string
  readonly change: SuggestionKind
  readonly text: string
  readonly quote: string
}

/** A suggestion accepted or rejected. */
export interface DecisionActivity {
  readonly suggestionId: string
  readonly status: 'accepted' | 'rejected'
  /** The suggestion's author (who hears of the decision). */
  readonly authorId: string
  readonly change: SuggestionKind
  readonly text: string
  readonly quote: string
}

/** What a transaction did, bounded: `total` counts every activity, the lists hold the first ones. */
export interface Found<T> {
  readonly items: T[]
  total: number
}

function found<T>(): Found<T> {
  return { items: [], total: 0 }
}

function add<T>(into: Found<T>, item: T): void {
  into.total++
  if (into.items.length < MAX_ACTIVITIES) {
    into.items.push(item)
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function strings(value: unknown): string[] {
  const list = value instanceof Y.Array ? value.toArray() : value
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []
}

function changeOf(value: unknown): SuggestionKind {
  return value === 'insert' || value === 'delete' ? value : 'replace'
}

function replyActivity(threadId: string, thread: Y.Map<unknown>, reply: unknown) {
  if (!isReplyRecord(reply)) {
    return null
  }
  return {
    threadId,
    replyId: reply.id,
    text: reply.text,
    mentioned: [...(reply.mentions ?? [])],
    threadAuthor: str(thread.get('authorId')) || null,
  }
}

/** @returns the threads and replies a transaction's events added to `comments`. */
export function commentActivity(
  comments: Y.Map<unknown>,
  events: readonly Y.YEvent<Y.AbstractType<unknown>>[],
): Found<CommentActivity> {
  const result = found<CommentActivity>()
  for (const event of events) {
    const [threadId, field] = event.path
    if (event.target === comments && event instanceof Y.YMapEvent) {
      for (const [key, change] of event.changes.keys) {
        const thread = comments.get(key)
        if (change.action === 'delete' || !(thread instanceof Y.Map)) {
          continue
        }
        add(result, {
          threadId: key,
          replyId: null,
          text: str(thread.get('text')),
          mentioned: strings(thread.get('mentions')),
          threadAuthor: str(thread.get('authorId')) || null,
        })
      }
      continue
    }
    const thread = typeof threadId === 'string' ? comments.get(threadId) : undefined
    if (
      typeof threadId !== 'string' ||
      field !== 'replies' ||
      !(event instanceof Y.YArrayEvent) ||
      !(thread instanceof Y.Map)
    ) {
      continue
    }
    for (const item of event.changes.added) {
      for (const reply of item.content.getContent()) {
        const one = replyActivity(threadId, thread, reply)
        if (one !== null) {
          add(result, one)
        }
      }
    }
  }
  return result
}

/** @returns the suggestions a transaction's events created, and those it decided. */
export function suggestionActivity(
  suggestions: Y.Map<unknown>,
  events: readonly Y.YEvent<Y.AbstractType<unknown>>[],
): { created: Found<SuggestionActivity>; decided: Found<DecisionActivity> } {
  const created = found<SuggestionActivity>()
  const decided = found<DecisionActivity>()
  for (const event of events) {
    if (!(event instanceof Y.YMapEvent)) {
      continue
    }
    if (event.target === suggestions) {
      for (const [key, change] of event.changes.keys) {
        const entry = suggestions.get(key)
        if (change.action === 'delete' || !(entry instanceof Y.Map)) {
          continue
        }
        if (entry.get('status') === 'open') {
          add(created, {
            suggestionId: key,
            change: changeOf(entry.get('kind')),
            text: str(entry.get('text')),
            quote: str(entry.get('quote')),
          })
        }
      }
      continue
    }
    const [key, field] = event.path
    const entry = typeof key === 'string' ? suggestions.get(key) : undefined
    const status = event.changes.keys.get('status')
    if (
      typeof key !== 'string' ||
      field !== undefined ||
      !(entry instanceof Y.Map) ||
      status === undefined ||
      status.action === 'delete' ||
      status.oldValue === entry.get('status')
    ) {
      continue
    }
    const now = entry.get('status')
    const authorId = str(entry.get('authorId'))
    if ((now === 'accepted' || now === 'rejected') && authorId !== '') {
      add(decided, {
        suggestionId: key,
        status: now,
        authorId,
        change: changeOf(entry.get('kind')),
        text: str(entry.get('text')),
        quote: str(entry.get('quote')),
      })
    }
  }
  return { created, decided }
}
