/**
 * 批注 threads in the document room's `comments` map: one Y.Map per thread, anchored to the body by
 * relative positions, with a Y.Array of replies. The structure (field names, shapes, limits, who
 * may change what) is declared in shared/gongwen/annotations.ts, which the relay enforces.
 */
import * as Y from 'yjs'
import { isStoredPosition } from '../anchors/positions'
import type { StoredPosition } from '../anchors/positions'
import { newId } from '../anchors/ids'
import { readNumber, readString, readStrings, recordMaps } from '../anchors/yValues'
import { COMMENTS_ROOT, MAX_COMMENT_LENGTH } from '../../../../../../shared/gongwen/annotations'

export { MAX_COMMENT_LENGTH }
/** The root map of comment threads. */
export const COMMENTS_FIELD = COMMENTS_ROOT
/** Transaction origin of comment changes (not tracked by the editor's undo). */
export const COMMENT_ORIGIN = 'gongwen-comments'

/** Who writes. */
export interface Author {
  readonly id: string
  readonly name: string
}

/** One reply of a thread. */
export interface CommentReply {
  readonly id: string
  readonly authorId: string
  readonly authorName: string
  readonly text: string
  readonly mentions: readonly string[]
  readonly createdAt: number
}

/** A thread as the panel shows it. */
export interface CommentThread {
  readonly id: string
  readonly from: StoredPosition | null
  readonly to: StoredPosition | null
  readonly quote: string
  readonly authorId: string
  readonly authorName: string
  readonly createdAt: number
  readonly text: string
  readonly mentions: readonly string[]
  readonly resolved: boolean
  readonly resolvedBy: string | null
  readonly replies: readonly CommentReply[]
}

/** What a new thread needs. */
export interface NewThread {
  readonly from: StoredPosition
  readonly to: StoredPosition
  readonly quote: string
  readonly author: Author
  readonly text: string
  readonly mentions?: readonly string[]
  readonly now?: number
}

/** @returns the comments root of a document */
export function commentsRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(COMMENTS_FIELD)
}

function cleanText(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '') {
    throw new Error('empty comment')
  }
  return trimmed.slice(0, MAX_COMMENT_LENGTH)
}

/** Adds a thread. @returns its id @throws Error when the text is empty */
export function addThread(doc: Y.Doc, input: NewThread): string {
  const text = cleanText(input.text)
  const id = newId()
  doc.transact(() => {
    const thread = new Y.Map<unknown>()
    commentsRoot(doc).set(id, thread)
    thread.set('id', id)
    thread.set('from', input.from)
    thread.set('to', input.to)
    thread.set('quote', input.quote)
    thread.set('authorId', input.author.id)
    thread.set('authorName', input.author.name)
    thread.set('createdAt', input.now ?? Date.now())
    thread.set('text', text)
    thread.set('mentions', [...new Set(input.mentions ?? [])])
    thread.set('resolved', false)
    thread.set('resolvedBy', null)
    thread.set('replies', new Y.Array<unknown>())
  }, COMMENT_ORIGIN)
  return id
}

function threadMap(doc: Y.Doc, threadId: string): Y.Map<unknown> | null {
  const thread = commentsRoot(doc).get(threadId)
  return thread instanceof Y.Map ? thread : null
}

/** Appends a reply. @returns false when the thread is gone @throws Error when the text is empty */
export function replyToThread(
  doc: Y.Doc,
  threadId: string,
  input: { author: Author; text: string; mentions?: readonly string[]; now?: number },
): boolean {
  const text = cleanText(input.text)
  const thread = threadMap(doc, threadId)
  if (thread === null) {
    return false
  }
  doc.transact(() => {
    let replies = thread.get('replies')
    if (!(replies instanceof Y.Array)) {
      replies = new Y.Array<unknown>()
      thread.set('replies', replies)
    }
    if (replies instanceof Y.Array) {
      replies.push([
        {
          id: newId(),
          authorId: input.author.id,
          authorName: input.author.name,
          text,
          mentions: [...new Set(input.mentions ?? [])],
          createdAt: input.now ?? Date.now(),
        },
      ])
    }
  }, COMMENT_ORIGIN)
  return true
}

/** Resolves or reopens a thread. @returns false when the thread is gone */
export function setThreadResolved(
  doc: Y.Doc,
  threadId: string,
  resolved: boolean,
  userId: string,
): boolean {
  const thread = threadMap(doc, threadId)
  if (thread === null) {
    return false
  }
  doc.transact(() => {
    thread.set('resolved', resolved)
    thread.set('resolvedBy', resolved ? userId : null)
  }, COMMENT_ORIGIN)
  return true
}

function readReply(value: unknown): CommentReply | null {
  if (typeof value !== 'object' || value === null) {
    return null
  }
  const field = (key: string): unknown => (key in value ? Reflect.get(value, key) : undefined)
  const text = field('text')
  const id = field('id')
  if (typeof text !== 'string' || typeof id !== 'string') {
    return null
  }
  const mentions = field('mentions')
  const createdAt = field('createdAt')
  return {
    id,
    text,
    authorId: String(field('authorId') ?? ''),
    authorName: String(field('authorName') ?? ''),
    mentions: Array.isArray(mentions)
      ? mentions.filter((entry): entry is string => typeof entry === 'string')
      : [],
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
  }
}

/** @returns a snapshot of every thread, oldest first */
export function readThreads(doc: Y.Doc): CommentThread[] {
  return recordMaps(commentsRoot(doc))
    .map((thread): CommentThread => {
      const from = thread.get('from')
      const to = thread.get('to')
      const replies = thread.get('replies')
      const resolvedBy = thread.get('resolvedBy')
      return {
        id: readString(thread, 'id'),
        from: isStoredPosition(from) ? from : null,
        to: isStoredPosition(to) ? to : null,
        quote: readString(thread, 'quote'),
        authorId: readString(thread, 'authorId'),
        authorName: readString(thread, 'authorName'),
        createdAt: readNumber(thread, 'createdAt'),
        text: readString(thread, 'text'),
        mentions: readStrings(thread, 'mentions'),
        resolved: thread.get('resolved') === true,
        resolvedBy: typeof resolvedBy === 'string' ? resolvedBy : null,
        replies:
          replies instanceof Y.Array
            ? replies
                .toArray()
                .map(readReply)
                .filter((reply): reply is CommentReply => reply !== null)
            : [],
      }
    })
    .filter((thread) => thread.id !== '')
    .sort((a, b) => a.createdAt - b.createdAt)
}
