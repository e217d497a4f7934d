/**
 * The documents screen's query (search words, 全部/我起草的/与我共享, 文种): parsing it from and into
 * the URL, filtering the cached list when offline, and splitting text into highlighted runs.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { z } from 'zod'
import type { DocumentListQuery } from '../../../shared/http/routes/documents'
import type { DocumentSearchHit, DocumentSummary } from '../../../shared/api'
import { isDocTypeId } from '../../../shared/gongwen/docTypes'

/** Which documents the list shows. */
export type ListFilter =
  /** Every document the user may open. */
  | 'all'
  /** Documents the user owns (起草). */
  | 'mine'
  /** Documents someone else owns and shared with the user. */
  | 'shared'

/** What the list asks for. */
export interface ListQuery {
  /** Search words as typed (space separated; all must match). */
  readonly q: string
  readonly filter: ListFilter
  /** A 文种 id, or null for every type. */
  readonly docType: string | null
}

/** The query of an unfiltered list. */
export const EMPTY_QUERY: ListQuery = { q: '', filter: 'all', docType: null }

/** The longest search the relay accepts (DocumentListQuery in shared/http/routes/documents.ts). */
export const MAX_QUERY_LENGTH = 100

function first(value: LocationQuery[string] | undefined): string {
  const one = Array.isArray(value) ? value[0] : value
  return typeof one === 'string' ? one : ''
}

/** @returns the list query in a route's query string (?q=&filter=&type=); unknown values are ignored. */
export function queryFromRoute(query: LocationQuery): ListQuery {
  const filter = first(query.filter)
  const docType = first(query.type)
  return {
    q: first(query.q).slice(0, MAX_QUERY_LENGTH),
    filter: filter === 'mine' || filter === 'shared' ? filter : 'all',
    docType: isDocTypeId(docType) ? docType : null,
  }
}

/** @returns the route query string of a list query (defaults left out, so URLs stay short). */
export function routeFromQuery(query: ListQuery): LocationQueryRaw {
  return {
    ...(query.q.trim() === '' ? {} : { q: query.q.trim() }),
    ...(query.filter === 'all' ? {} : { filter: query.filter }),
    ...(query.docType === null ? {} : { type: query.docType }),
  }
}

/** @returns whether the query asks for anything beyond the plain list. */
export function isActive(query: ListQuery): boolean {
  return query.q.trim() !== '' || query.filter !== 'all' || query.docType !== null
}

/** @returns the search words of a query: whitespace separated, de-duplicated (as the relay splits them). */
export function searchWords(q: string): string[] {
  return [...new Set(q.split(/\s+/).filter((word) => word !== ''))].slice(0, 8)
}

/** @returns the query of GET /documents for a list query. */
export function searchQuery(query: ListQuery): z.input<typeof DocumentListQuery> {
  return {
    ...(query.q.trim() === '' ? {} : { q: query.q.trim() }),
    ...(query.filter === 'all' ? {} : { filter: query.filter }),
    ...(query.docType === null ? {} : { docType: query.docType }),
    limit: 100,
  }
}

/** @returns a row of GET /documents as a search hit (a plain row has no excerpt). */
export function asHit(row: DocumentSummary | DocumentSearchHit): DocumentSearchHit {
  return 'excerpt' in row ? row : { ...row, excerpt: null }
}

/**
 * Filters a cached list offline: scope and 文种 exactly, search words against titles only (the
 * bodies are not on this device). Hits carry no excerpt.
 */
export function filterLocally(
  list: readonly DocumentSummary[],
  query: ListQuery,
  userId: string,
): DocumentSearchHit[] {
  const words = searchWords(query.q.toLowerCase())
  return list
    .filter((doc) => {
      if (query.filter === 'mine' && doc.ownerId !== userId) {
        return false
      }
      if (query.filter === 'shared' && doc.ownerId === userId) {
        return false
      }
      if (query.docType !== null && doc.docType !== query.docType) {
        return false
      }
      const title = doc.title.toLowerCase()
      return words.every((word) => title.includes(word))
    })
    .map((doc) => ({ ...doc, excerpt: null }))
}

/** A run of text, marked when it matches a search word. */
export interface TextRun {
  readonly text: string
  readonly match: boolean
}

/** @returns `text` split into runs, the occurrences of any of `words` marked (case-insensitive). */
export function highlightRuns(text: string, words: readonly string[]): TextRun[] {
  const wanted = words.map((w) => w.toLowerCase()).filter((w) => w !== '')
  if (wanted.length === 0 || text === '') {
    return text === '' ? [] : [{ text, match: false }]
  }
  const lower = text.toLowerCase()
  const runs: TextRun[] = []
  let plainFrom = 0
  let at = 0
  while (at < text.length) {
    // The longest word matching here wins, so 防汛 inside 防汛工作 marks the whole phrase.
    const hit = wanted
      .filter((word) => lower.startsWith(word, at))
      .reduce((best, word) => (word.length > best.length ? word : best), '')
    if (hit === '') {
      at++
      continue
    }
    if (at > plainFrom) {
      runs.push({ text: text.slice(plainFrom, at), match: false })
    }
    runs.push({ text: text.slice(at, at + hit.length), match: true })
    at += hit.length
    plainFrom = at
  }
  if (plainFrom < text.length) {
    runs.push({ text: text.slice(plainFrom), match: false })
  }
  return runs
}
