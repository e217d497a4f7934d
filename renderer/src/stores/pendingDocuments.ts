/**
 * Documents created while offline (新建 without a network): each has an id the client chose, is
 * shown in the list and opens in the editor at once (its content lives in the local copy), and is
 * created on the relay with that id once the network is back — its content follows through the
 * document's room. Kept per user in localStorage, so a reload or a restart keeps the queue.
 */
import type { DocumentSummary } from '../../../shared/api'
import { isDocTypeId } from '../../../shared/gongwen/docTypes'
import type { DocTypeId } from '../../../shared/gongwen/docTypes'
import { isRecord, readCache, writeCache } from './localCache'

/** A document waiting to be created on the relay. */
export interface PendingDocument {
  readonly id: string
  readonly title: string
  readonly docType: DocTypeId | null
  readonly createdAt: string
  /** Whether the editor has filled in its 文种's template (done once, in the local copy). */
  readonly templated: boolean
}

function key(userId: string): string {
  return `qilu:${userId}:pendingDocuments`
}

function isPending(value: unknown): value is PendingDocument {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    (value.docType === null || isDocTypeId(value.docType)) &&
    typeof value.createdAt === 'string' &&
    typeof value.templated === 'boolean'
  )
}

function isPendingList(value: unknown): value is PendingDocument[] {
  return Array.isArray(value) && value.every(isPending)
}

/** @returns the user's queue, oldest first */
export function readPending(userId: string): PendingDocument[] {
  return readCache(key(userId), isPendingList) ?? []
}

/** Stores the user's queue. */
export function writePending(userId: string, list: readonly PendingDocument[]): void {
  writeCache(key(userId), list)
}

/** @returns a new lower-case UUID (the relay's ClientDocumentId form) */
export function newDocumentId(): string {
  return crypto.randomUUID().toLowerCase()
}

/** @returns the list row of a pending document, owned by `owner` */
export function pendingSummary(
  pending: PendingDocument,
  owner: { id: string; displayName: string },
): DocumentSummary {
  return {
    id: pending.id,
    title: pending.title,
    ownerId: owner.id,
    ownerName: owner.displayName,
    role: 'owner',
    createdAt: pending.createdAt,
    updatedAt: pending.createdAt,
    docType: pending.docType,
    archivedAt: null,
  }
}
