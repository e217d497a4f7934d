/**
 * 修订 suggestions in the document room's `suggestions` map. They live outside `body`: a commenter
 * only ever writes here, and the drafter's accept applies the text change to `body` and records the
 * decision in one Y transaction. The structure is declared in shared/gongwen/annotations.ts.
 */
import * as Y from 'yjs'
import { isStoredPosition } from '../anchors/positions'
import type { PositionMapper, StoredPosition } from '../anchors/positions'
import { newId } from '../anchors/ids'
import { readNumber, readString, recordMaps } from '../anchors/yValues'
import type { Author } from '../comments/threads'
import {
  MAX_SUGGESTION_LENGTH,
  SUGGESTIONS_ROOT,
} from '../../../../../../shared/gongwen/annotations'
import type { SuggestionKind, SuggestionStatus } from '../../../../../../shared/gongwen/annotations'

/** The root map of suggestions. */
export const SUGGESTIONS_FIELD = SUGGESTIONS_ROOT
/** Transaction origin of suggestion changes (not tracked by the editor's undo). */
export const SUGGESTION_ORIGIN = 'gongwen-suggestions'
export { MAX_SUGGESTION_LENGTH }
export type { SuggestionKind, SuggestionStatus }

/** A suggestion as the panel shows it. */
export interface Suggestion {
  readonly id: string
  readonly kind: SuggestionKind
  readonly from: StoredPosition | null
  readonly to: StoredPosition | null
  readonly text: string
  readonly quote: string
  readonly authorId: string
  readonly authorName: string
  readonly createdAt: number
  readonly status: SuggestionStatus
  readonly decidedBy: string | null
  readonly decidedAt: number | null
}

/** What a new suggestion needs. */
export interface NewSuggestion {
  readonly kind: SuggestionKind
  readonly from: StoredPosition
  readonly to: StoredPosition
  readonly text: string
  readonly quote: string
  readonly author: Author
  readonly now?: number
}

/** Why a decision could not be made. */
export type DecisionResult =
  /** Done. */
  | 'ok'
  /** No such suggestion. */
  | 'missing'
  /** Someone decided it already. */
  | 'decided'
  /** Its text was deleted or changed since; it can only be rejected. */
  | 'stale'

/** @returns the suggestions root of a document */
export function suggestionsRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(SUGGESTIONS_FIELD)
}

/** Records a suggestion. @returns its id @throws Error on an empty or oversized proposal */
export function addSuggestion(doc: Y.Doc, input: NewSuggestion): string {
  if (input.kind !== 'delete' && input.text === '') {
    throw new Error('empty suggestion')
  }
  if (input.kind !== 'insert' && input.quote === '') {
    throw new Error('nothing selected')
  }
  if (input.text.length > MAX_SUGGESTION_LENGTH) {
    throw new Error('suggestion too long')
  }
  const id = newId()
  doc.transact(() => {
    const entry = new Y.Map<unknown>()
    suggestionsRoot(doc).set(id, entry)
    entry.set('id', id)
    entry.set('kind', input.kind)
    entry.set('from', input.from)
    entry.set('to', input.to)
    entry.set('text', input.kind === 'delete' ? '' : input.text)
    entry.set('quote', input.quote)
    entry.set('authorId', input.author.id)
    entry.set('authorName', input.author.name)
    entry.set('createdAt', input.now ?? Date.now())
    entry.set('status', 'open')
    entry.set('decidedBy', null)
    entry.set('decidedAt', null)
  }, SUGGESTION_ORIGIN)
  return id
}

/** What typing on changes in one's own open suggestion (its content fields only). */
export interface SuggestionRevision {
  readonly kind?: SuggestionKind
  readonly from?: StoredPosition
  readonly to?: StoredPosition
  readonly text?: string
  readonly quote?: string
}

/** The entry of an open suggestion of `authorId`, or null. */
function ownOpenEntry(doc: Y.Doc, id: string, authorId: string): Y.Map<unknown> | null {
  const entry = suggestionsRoot(doc).get(id)
  return entry instanceof Y.Map &&
    entry.get('status') === 'open' &&
    entry.get('authorId') === authorId
    ? entry
    : null
}

/**
 * Changes an open suggestion of its own author (typing on extends it).
 * @returns whether it was changed (false: not theirs, decided or gone)
 * @throws Error when the text grows past MAX_SUGGESTION_LENGTH
 */
export function reviseSuggestion(
  doc: Y.Doc,
  id: string,
  authorId: string,
  revision: SuggestionRevision,
): boolean {
  const entry = ownOpenEntry(doc, id, authorId)
  if (entry === null) {
    return false
  }
  if (revision.text !== undefined && revision.text.length > MAX_SUGGESTION_LENGTH) {
    throw new Error('suggestion too long')
  }
  doc.transact(() => {
    for (const key of ['kind', 'from', 'to', 'text', 'quote'] as const) {
      const value = revision[key]
      if (value !== undefined && JSON.stringify(entry.get(key)) !== JSON.stringify(value)) {
        entry.set(key, value)
      }
    }
  }, SUGGESTION_ORIGIN)
  return true
}

/** Takes back an open suggestion of its own author (its text was erased again). */
export function withdrawSuggestion(doc: Y.Doc, id: string, authorId: string): boolean {
  if (ownOpenEntry(doc, id, authorId) === null) {
    return false
  }
  doc.transact(() => suggestionsRoot(doc).delete(id), SUGGESTION_ORIGIN)
  return true
}

function readKind(value: unknown): SuggestionKind | null {
  return value === 'insert' || value === 'delete' || value === 'replace' ? value : null
}

function readStatus(value: unknown): SuggestionStatus {
  return value === 'accepted' || value === 'rejected' ? value : 'open'
}

function readSuggestion(entry: Y.Map<unknown>): Suggestion | null {
  const kind = readKind(entry.get('kind'))
  const id = readString(entry, 'id')
  if (kind === null || id === '') {
    return null
  }
  const from = entry.get('from')
  const to = entry.get('to')
  const decidedBy = entry.get('decidedBy')
  const decidedAt = entry.get('decidedAt')
  return {
    id,
    kind,
    from: isStoredPosition(from) ? from : null,
    to: isStoredPosition(to) ? to : null,
    text: readString(entry, 'text'),
    quote: readString(entry, 'quote'),
    authorId: readString(entry, 'authorId'),
    authorName: readString(entry, 'authorName'),
    createdAt: readNumber(entry, 'createdAt'),
    status: readStatus(entry.get('status')),
    decidedBy: typeof decidedBy === 'string' ? decidedBy : null,
    decidedAt: typeof decidedAt === 'number' ? decidedAt : null,
  }
}

/** @returns a snapshot of every suggestion, oldest first */
export function readSuggestions(doc: Y.Doc): Suggestion[] {
  return recordMaps(suggestionsRoot(doc))
    .map(readSuggestion)
    .filter((entry): entry is Suggestion => entry !== null)
    .sort((a, b) => a.createdAt - b.createdAt)
}

function openEntry(doc: Y.Doc, id: string): Y.Map<unknown> | DecisionResult {
  const entry = suggestionsRoot(doc).get(id)
  if (!(entry instanceof Y.Map)) {
    return 'missing'
  }
  return entry.get('status') === 'open' ? entry : 'decided'
}

function decide(
  entry: Y.Map<unknown>,
  status: SuggestionStatus,
  userId: string,
  now: number,
): void {
  entry.set('status', status)
  entry.set('decidedBy', userId)
  entry.set('decidedAt', now)
}

/** The body edit an open suggestion stands for, when its text is still there unchanged. */
function plannedEdit(suggestion: Suggestion, mapper: PositionMapper): (() => void) | null {
  if (suggestion.from === null || suggestion.to === null) {
    return null
  }
  // A removed anchor has no absolute position even though Yjs still resolves it.
  if (mapper.toAbsolute(suggestion.from) === null || mapper.toAbsolute(suggestion.to) === null) {
    return null
  }
  const from = mapper.resolve(suggestion.from)
  const to = mapper.resolve(suggestion.to)
  if (from === null || to === null) {
    return null
  }
  if (suggestion.kind === 'insert') {
    const target = from.type
    if (target instanceof Y.XmlText) {
      return () => target.insert(from.index, suggestion.text)
    }
    // An empty paragraph has no text node yet; the root fragment never holds text directly.
    if (target instanceof Y.XmlElement) {
      return () => target.insert(from.index, [new Y.XmlText(suggestion.text)])
    }
    return null
  }
  const text = from.type
  if (!(text instanceof Y.XmlText) || to.type !== text || to.index < from.index) {
    return null
  }
  if (text.length < to.index || plainSlice(text, from.index, to.index) !== suggestion.quote) {
    return null
  }
  return () => {
    text.delete(from.index, to.index - from.index)
    if (suggestion.kind === 'replace') {
      text.insert(from.index, suggestion.text)
    }
  }
}

/** @returns the characters of a Y.XmlText between two indexes, without formatting */
function plainSlice(text: Y.XmlText, from: number, to: number): string {
  let result = ''
  let offset = 0
  for (const op of text.toDelta()) {
    const insert: unknown = op.insert
    const chunk = typeof insert === 'string' ? insert : ' '
    const start = Math.max(from, offset)
    const end = Math.min(to, offset + chunk.length)
    if (end > start) {
      result += chunk.slice(start - offset, end - offset)
    }
    offset += chunk.length
  }
  return result
}

/**
 * Applies a suggestion to the body and marks it accepted, in one transaction.
 * @param mapper a mapper over the document's body as it is now (make a new one after each accept)
 */
export function acceptSuggestion(
  doc: Y.Doc,
  id: string,
  mapper: PositionMapper,
  userId: string,
  now = Date.now(),
): DecisionResult {
  const entry = openEntry(doc, id)
  if (!(entry instanceof Y.Map)) {
    return entry
  }
  const suggestion = readSuggestion(entry)
  const edit = suggestion === null ? null : plannedEdit(suggestion, mapper)
  if (edit === null) {
    return 'stale'
  }
  doc.transact(() => {
    edit()
    decide(entry, 'accepted', userId, now)
  }, SUGGESTION_ORIGIN)
  return 'ok'
}

/** Marks a suggestion rejected (the body is not touched). */
export function rejectSuggestion(
  doc: Y.Doc,
  id: string,
  userId: string,
  now = Date.now(),
): DecisionResult {
  const entry = openEntry(doc, id)
  if (!(entry instanceof Y.Map)) {
    return entry
  }
  doc.transact(() => decide(entry, 'rejected', userId, now), SUGGESTION_ORIGIN)
  return 'ok'
}

/** @returns whether an open suggestion can still be applied as written */
export function isApplicable(suggestion: Suggestion, mapper: PositionMapper): boolean {
  return suggestion.status === 'open' && plannedEdit(suggestion, mapper) !== null
}
