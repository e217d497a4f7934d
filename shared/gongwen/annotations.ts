/**
 * The Y structure of 批注 (comment threads) and 修订 (suggestions) in a document room, declared once
 * for the renderer that writes it and the relay that enforces it on every update:
 *
 *   comments      Y.Map<threadId, Y.Map>       a thread: THREAD_FIELDS
 *     replies     Y.Array<ReplyRecord>         plain objects, appended; each belongs to its author
 *   suggestions   Y.Map<suggestionId, Y.Map>   a suggestion: SUGGESTION_FIELDS
 *
 * Who may change what: an entry's author is the account that created it (`authorId`, `authorName`);
 * only the author changes its text and anchors or deletes it; identity fields never change; a thread
 * is resolved or reopened by editors and the owner, and by its own author; a suggestion is accepted
 * or rejected by editors and the owner only; `resolvedBy` / `decidedBy` name whoever decided.
 *
 * @example
 *   THREAD_FIELD_ROLES.text // 'content': only the thread's author changes it
 *   mayResolve('comment', true) // true: a commenter resolves their own thread
 */
import { COMMENTS_ROOT, SUGGESTIONS_ROOT } from './yBody'

export { COMMENTS_ROOT, SUGGESTIONS_ROOT }

/** Longest comment or reply text, in characters. */
export const MAX_COMMENT_LENGTH = 2000
/** Longest suggested text, in characters. */
export const MAX_SUGGESTION_LENGTH = 5000
/** Longest quoted body text kept with a thread or suggestion, in characters. */
export const MAX_QUOTE_LENGTH = 20_000
/** Most people one comment or reply may mention. */
export const MAX_MENTIONS = 200
/** Longest id of a thread, reply or suggestion, and of an author. */
export const MAX_ID_LENGTH = 100
/** Longest author name, in characters. */
export const MAX_NAME_LENGTH = 200

/** What a field is for, which decides who may change it once its entry exists. */
export type FieldRole =
  /** Set when the entry is created (its id, author, creation time); never changed afterwards. */
  | 'identity'
  /** The author's own words and anchors: only the author changes them. */
  | 'content'
  /** A decision on the entry: resolving a thread, accepting or rejecting a suggestion. */
  | 'decision'
  /** A thread's list of replies: everyone who may comment appends; each reply is its author's. */
  | 'replies'

/** The keys of a thread's Y.Map. */
export const THREAD_FIELDS = [
  'id',
  'from',
  'to',
  'quote',
  'authorId',
  'authorName',
  'createdAt',
  'text',
  'mentions',
  'resolved',
  'resolvedBy',
  'replies',
] as const

/** A key of a thread. */
export type ThreadField = (typeof THREAD_FIELDS)[number]

/** The keys of a suggestion's Y.Map. */
export const SUGGESTION_FIELDS = [
  'id',
  'kind',
  'from',
  'to',
  'text',
  'quote',
  'authorId',
  'authorName',
  'createdAt',
  'status',
  'decidedBy',
  'decidedAt',
] as const

/** A key of a suggestion. */
export type SuggestionField = (typeof SUGGESTION_FIELDS)[number]

/** The field naming an entry's author, and the one naming who decided (shared by both kinds). */
export const AUTHOR_ID_FIELD = 'authorId'
export const AUTHOR_NAME_FIELD = 'authorName'
/** The key of a thread's replies. */
export const REPLIES_FIELD = 'replies'

/** What a suggestion proposes. */
export type SuggestionKind =
  /** Insert `text` at `from` (== `to`). */
  | 'insert'
  /** Delete the text between `from` and `to`. */
  | 'delete'
  /** Replace the text between `from` and `to` by `text`. */
  | 'replace'

/** Where a suggestion stands. */
export type SuggestionStatus =
  /** Waiting for the drafter. */
  | 'open'
  /** Applied to the body. */
  | 'accepted'
  /** Declined; the body is unchanged. */
  | 'rejected'

/** The suggestion kinds. */
export const SUGGESTION_KINDS: readonly SuggestionKind[] = ['insert', 'delete', 'replace']
/** The suggestion statuses. */
export const SUGGESTION_STATUSES: readonly SuggestionStatus[] = ['open', 'accepted', 'rejected']

export const THREAD_FIELD_ROLES: Readonly<Record<ThreadField, FieldRole>> = {
  id: 'identity',
  authorId: 'identity',
  authorName: 'identity',
  createdAt: 'identity',
  from: 'content',
  to: 'content',
  quote: 'content',
  text: 'content',
  mentions: 'content',
  resolved: 'decision',
  resolvedBy: 'decision',
  replies: 'replies',
}

export const SUGGESTION_FIELD_ROLES: Readonly<Record<SuggestionField, FieldRole>> = {
  id: 'identity',
  authorId: 'identity',
  authorName: 'identity',
  createdAt: 'identity',
  kind: 'content',
  from: 'content',
  to: 'content',
  text: 'content',
  quote: 'content',
  status: 'decision',
  decidedBy: 'decision',
  decidedAt: 'decision',
}

/** A Yjs ID as JSON. */
export interface StoredId {
  readonly client: number
  readonly clock: number
}

/** A relative position as stored in `comments` and `suggestions` (Y.relativePositionToJSON). */
export interface StoredPosition {
  readonly type?: StoredId
  readonly tname?: string
  readonly item?: StoredId
  readonly assoc?: number
}

/** One reply of a thread: a plain object in the thread's `replies` Y.Array. */
export interface ReplyRecord {
  readonly id: string
  readonly authorId: string
  readonly authorName: string
  readonly text: string
  readonly mentions: readonly string[]
  readonly createdAt: number
}

function field(value: object, key: string): unknown {
  return Object.hasOwn(value, key) ? Reflect.get(value, key) : undefined
}

function isId(value: unknown): value is StoredId {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof field(value, 'client') === 'number' &&
    typeof field(value, 'clock') === 'number'
  )
}

/** @returns whether a value read from the Y.Doc is a stored relative position. */
export function isStoredPosition(value: unknown): value is StoredPosition {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const type = field(value, 'type')
  const item = field(value, 'item')
  const tname = field(value, 'tname')
  return (
    (type === undefined || isId(type)) &&
    (item === undefined || isId(item)) &&
    (tname === undefined || typeof tname === 'string') &&
    (type !== undefined || item !== undefined || tname !== undefined)
  )
}

const shortString = (max: number) => (value: unknown) =>
  typeof value === 'string' && value.length <= max
const position = (value: unknown) => value === null || isStoredPosition(value)
const time = (value: unknown) => typeof value === 'number' && Number.isFinite(value)
const userOrNull = (value: unknown) => value === null || shortString(MAX_ID_LENGTH)(value)
const mentions = (value: unknown) =>
  Array.isArray(value) &&
  value.length <= MAX_MENTIONS &&
  value.every((entry) => shortString(MAX_ID_LENGTH)(entry))

/** Whether a plain value fits a thread field (`replies` holds a Y.Array, never a plain value). */
export const THREAD_VALUES: Readonly<Record<ThreadField, (value: unknown) => boolean>> = {
  id: shortString(MAX_ID_LENGTH),
  from: position,
  to: position,
  quote: shortString(MAX_QUOTE_LENGTH),
  authorId: shortString(MAX_ID_LENGTH),
  authorName: shortString(MAX_NAME_LENGTH),
  createdAt: time,
  text: shortString(MAX_COMMENT_LENGTH),
  mentions,
  resolved: (value) => typeof value === 'boolean',
  resolvedBy: userOrNull,
  replies: () => false,
}

/** Whether a plain value fits a suggestion field. */
export const SUGGESTION_VALUES: Readonly<Record<SuggestionField, (value: unknown) => boolean>> = {
  id: shortString(MAX_ID_LENGTH),
  kind: (value) => SUGGESTION_KINDS.some((kind) => kind === value),
  from: position,
  to: position,
  text: shortString(MAX_SUGGESTION_LENGTH),
  quote: shortString(MAX_QUOTE_LENGTH),
  authorId: shortString(MAX_ID_LENGTH),
  authorName: shortString(MAX_NAME_LENGTH),
  createdAt: time,
  status: (value) => SUGGESTION_STATUSES.some((status) => status === value),
  decidedBy: userOrNull,
  decidedAt: (value) => value === null || time(value),
}

/** @returns whether a value is a well-formed reply (as `replies` holds them). */
export function isReplyRecord(value: unknown): value is ReplyRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false
  }
  const list = field(value, 'mentions')
  return (
    shortString(MAX_ID_LENGTH)(field(value, 'id')) &&
    shortString(MAX_ID_LENGTH)(field(value, 'authorId')) &&
    shortString(MAX_NAME_LENGTH)(field(value, 'authorName')) &&
    shortString(MAX_COMMENT_LENGTH)(field(value, 'text')) &&
    (list === undefined || mentions(list)) &&
    (field(value, 'createdAt') === undefined || time(field(value, 'createdAt')))
  )
}

/** @returns the author id a reply names, if any (to judge who may delete it). */
export function replyAuthor(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) {
    return null
  }
  const author = field(value, 'authorId')
  return typeof author === 'string' ? author : null
}

/** Access to a document that may change comments at all. */
export type AnnotatorAccess = 'write' | 'comment'

/** Who may resolve or reopen a thread: editors and the owner, and the thread's own author. */
export function mayResolve(access: AnnotatorAccess, isAuthor: boolean): boolean {
  return access === 'write' || isAuthor
}

/** Who may accept or reject a suggestion: editors and the owner. */
export function mayDecide(access: AnnotatorAccess): boolean {
  return access === 'write'
}
