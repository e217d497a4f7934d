/**
 * Full-text search (全文检索): keeps the plain text of each document room in the search index
 * (debounced after the persistence path stores the room) and answers searches restricted to the
 * documents a user may read.
 */
import * as Y from 'yjs'
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { SearchQuery, SearchStore } from '../storage/SearchStore'
import type { RoomEvents, RoomPort } from '../relay/ports'
import type { Logger } from '../logger'
import type { DocumentSearchHit } from '../../shared/api'
import { docRoom } from '../../shared/protocol/rooms'
import { BODY_ROOT, META_ROOT, readBodyBlocks } from '../../shared/gongwen/yBody'
import { toSummary } from './DocumentService'
import { QuietTimer } from '../QuietTimer'

/** The searchable text of one document room. */
export interface IndexedText {
  readonly title: string | null
  readonly docType: string | null
  readonly body: string
  readonly extra: string
}

const EXTRA_KEYS = [
  'documentNumber',
  'issuingAuthority',
  'mainRecipients',
  'ccRecipients',
  'signers',
]
const EXCERPT_RADIUS = 40

/** @returns the plain text of a document room: meta title and type, body blocks, other fields. */
export function indexedText(doc: Y.Doc): IndexedText {
  const meta = doc.getMap<unknown>(META_ROOT)
  const title = meta.get('title')
  const docType = meta.get('docType')
  const extra = EXTRA_KEYS.flatMap((key) => {
    const value = meta.get(key)
    if (typeof value === 'string') {
      return [value]
    }
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  })
  return {
    title: typeof title === 'string' && title.trim() !== '' ? title : null,
    docType: typeof docType === 'string' && docType !== '' ? docType : null,
    body: readBodyBlocks(doc.getXmlFragment(BODY_ROOT))
      .map((block) => block.text)
      .join('\n'),
    extra: extra.join(' '),
  }
}

/** @returns text around the first occurrence of `term` in `body`, or null. */
export function excerpt(body: string, term: string): string | null {
  const at = body.toLowerCase().indexOf(term.toLowerCase())
  if (at < 0) {
    return null
  }
  const start = Math.max(0, at - EXCERPT_RADIUS)
  const end = Math.min(body.length, at + term.length + EXCERPT_RADIUS)
  const text = body.slice(start, end).replace(/\s+/g, ' ')
  return `${start > 0 ? '…' : ''}${text}${end < body.length ? '…' : ''}`
}

/** @returns the search terms of a query: whitespace-separated, de-duplicated, at most 8. */
export function searchTerms(q: string | undefined): string[] {
  return [...new Set((q ?? '').split(/\s+/).filter((t) => t !== ''))].slice(0, 8)
}

/** Index maintenance and search. */
export class SearchService {
  private readonly timers = new Map<string, QuietTimer>()
  private readonly running = new Set<Promise<void>>()

  constructor(
    private readonly storage: Storage,
    private readonly store: SearchStore,
    /** Loaded rooms are read instead of the store. */
    private readonly rooms: RoomPort,
    private readonly logger: Logger,
    private readonly delayMs = 2000,
  ) {}

  /**
   * Re-indexes each document some time after its content was stored. With several nodes, the node
   * that stored a document's newest change indexes it: another node's change cancels this node's
   * pending indexing (that node stores the change and schedules its own), so a document edited on
   * three nodes is indexed once, not three times, and only once it is quiet everywhere.
   */
  follow(events: RoomEvents): void {
    events.onDocumentStored(({ documentId }) => this.schedule(documentId))
    events.onDocumentChangedElsewhere(({ documentId }) => this.cancel(documentId))
  }

  /** Drops a document's pending indexing (another node indexes it). */
  cancel(documentId: string): void {
    const existing = this.timers.get(documentId)
    if (existing !== undefined) {
      existing.cancel()
      this.timers.delete(documentId)
    }
  }

  /** Re-indexes a document after `delayMs` of no further calls for it. */
  schedule(documentId: string): void {
    const existing = this.timers.get(documentId)
    if (existing !== undefined) {
      // Called at every commit of a busy document: noting the time is cheaper than a new timer.
      existing.touch()
      return
    }
    const timer = new QuietTimer(this.delayMs, () => {
      this.timers.delete(documentId)
      this.track(this.index(documentId))
    })
    this.timers.set(documentId, timer)
  }

  /** Indexes every scheduled document now and waits for running work (at shutdown). */
  async flush(): Promise<void> {
    const ids = [...this.timers.keys()]
    for (const timer of this.timers.values()) {
      timer.cancel()
    }
    this.timers.clear()
    for (const id of ids) {
      this.track(this.index(id))
    }
    await Promise.all(this.running)
  }

  /** Reads a document's current text and stores it in the index. */
  async index(documentId: string): Promise<void> {
    try {
      const document = await this.storage.documents.byId(documentId)
      if (document === null) {
        return
      }
      const text = await this.read(documentId)
      await this.store.upsert({
        document_id: documentId,
        doc_type: text.docType ?? document.doc_type ?? null,
        title: text.title ?? document.title,
        body: text.body,
        extra: text.extra,
      })
    } catch (error) {
      this.logger.error('search indexing failed', { documentId, error: String(error) })
    }
  }

  /** @returns the documents `user` is a member of that match, with an excerpt of the body. */
  async search(user: UserRow, query: SearchQuery): Promise<DocumentSearchHit[]> {
    const rows = await this.store.search(user.id, query)
    const first = query.terms[0]
    const bodies =
      first === undefined
        ? new Map<string, string>()
        : await this.store.bodies(
            rows.map((r) => r.id),
            first,
          )
    return rows.map((row) => {
      const body = bodies.get(row.id)
      return {
        ...toSummary(row),
        excerpt: body === undefined || first === undefined ? null : excerpt(body, first),
        docType: row.doc_type ?? null,
      }
    })
  }

  private async read(documentId: string): Promise<IndexedText> {
    const live = await this.rooms.peek(docRoom(documentId), indexedText)
    if (live !== undefined) {
      return live
    }
    const stored = await this.storage.roomLog.load(docRoom(documentId))
    const doc = new Y.Doc()
    try {
      Y.transact(doc, () => {
        if (stored.snapshot !== null) {
          Y.applyUpdate(doc, stored.snapshot)
        }
        for (const update of stored.updates) {
          Y.applyUpdate(doc, update)
        }
      })
      return indexedText(doc)
    } finally {
      doc.destroy()
    }
  }

  private track(work: Promise<void>): void {
    this.running.add(work)
    void work.finally(() => this.running.delete(work))
  }
}
