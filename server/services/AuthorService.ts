/**
 * Who wrote what (留痕): the relay knows the authenticated user of every connection, so it records
 * which Yjs client ids each user's updates introduce and which content each user's updates delete.
 * Together they are what Y.PermanentUserData holds, without trusting clients to publish it.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { VersionStore } from '../storage/VersionStore'

/** A Yjs delete set (the type is not exported by name). */
export type DeleteSet = ReturnType<typeof Y.createDeleteSet>

/** One author's part in a document. */
export interface AuthorRecord {
  readonly userId: string
  readonly clientIds: readonly number[]
  /** Y.encodeSnapshot(createSnapshot(ds, ∅)): its head is the DSEncoderV1 delete set PermanentUserData reads. */
  readonly deletions: Uint8Array
}

/** Up to this many client ids in a document, `observe` reads the transaction's state vectors. */
const STATE_VECTOR_PASS_CLIENTS = 256

/** Merging stored deletion batches starts past this many rows per document. */
const COMPACT_DELETIONS_AFTER = 32

/** @returns the delete set encoded as PermanentUserData's `ds` entries are. */
export function encodeDeleteSet(ds: DeleteSet): Uint8Array {
  return Y.encodeSnapshot(Y.createSnapshot(ds, new Map()))
}

/** @returns the delete set of `encodeDeleteSet`. */
export function decodeDeleteSet(data: Uint8Array): DeleteSet {
  return Y.decodeSnapshot(data).ds
}

/** Records and reports authorship per document. */
export class AuthorService {
  /** Client ids this process has seen per document, with their user. */
  private readonly claimed = new Map<string, Map<number, string>>()
  private readonly pendingClients = new Map<string, Map<string, Set<number>>>()
  private readonly pendingDeletes = new Map<string, Map<string, DeleteSet[]>>()
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly store: VersionStore,
    private readonly logger: Logger,
    private readonly flushDelayMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Notes an update a user's connection applied to a document, with the transaction that made it:
   * every client whose state it advanced wrote, and its delete set is what it deleted. That is
   * exactly what the room's update event encodes (Yjs writes the structs from `beforeState` to
   * `afterState`, and `deleteSet`), read without decoding the update a third time. A document with
   * many client ids is read from the update instead: a pass over its whole state vector would
   * cost more than the decoding.
   */
  observe(
    documentId: string,
    userId: string,
    update: Uint8Array,
    transaction: Y.Transaction,
  ): void {
    if (transaction.afterState.size > STATE_VECTOR_PASS_CLIENTS) {
      const { structs, ds } = Y.decodeUpdate(update)
      const clients = new Set<number>()
      for (const struct of structs) {
        clients.add(struct.id.client)
      }
      this.record(documentId, userId, [...clients], ds.clients.size > 0 ? ds : null)
      return
    }
    const clients: number[] = []
    for (const [client, clock] of transaction.afterState) {
      if (clock > (transaction.beforeState.get(client) ?? 0)) {
        clients.push(client)
      }
    }
    const ds = transaction.deleteSet
    this.record(documentId, userId, clients, ds.clients.size > 0 ? ds : null)
  }

  /** Records a change the server made on a user's behalf (a restore) under its own client id. */
  record(
    documentId: string,
    userId: string,
    clientIds: readonly number[],
    deletions: DeleteSet | null,
  ): void {
    let claimed = this.claimed.get(documentId)
    if (claimed === undefined) {
      claimed = new Map()
      this.claimed.set(documentId, claimed)
    }
    for (const client of clientIds) {
      const owner = claimed.get(client)
      if (owner === userId) {
        continue
      }
      if (owner !== undefined) {
        // Two users writing with one client id is either a forged update or a shared browser
        // profile; the first writer keeps the id so history never changes hands.
        this.logger.warn('client id written by two users', { documentId, client, owner, userId })
        continue
      }
      claimed.set(client, userId)
      pendingFor(this.pendingClients, documentId, userId, () => new Set<number>()).add(client)
    }
    if (deletions !== null) {
      pendingFor(this.pendingDeletes, documentId, userId, () => [] as DeleteSet[]).push(deletions)
    }
    if (this.pendingClients.size > 0 || this.pendingDeletes.size > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = null
        void this.flush()
      }, this.flushDelayMs)
    }
  }

  /** Writes what is pending; concurrent calls are serialised. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    this.flushing = this.flushing.then(() => this.writePending())
    return this.flushing
  }

  /** Drops the in-memory claims of a document (its room unloaded); they stay in the store. */
  forget(documentId: string): void {
    if (!this.pendingClients.has(documentId)) {
      this.claimed.delete(documentId)
    }
  }

  /** @returns every author of a document with their client ids and merged deletions. */
  async authors(documentId: string): Promise<AuthorRecord[]> {
    await this.flush()
    const byUser = new Map<string, { clientIds: number[]; deletions: DeleteSet[] }>()
    const entry = (userId: string): { clientIds: number[]; deletions: DeleteSet[] } => {
      let found = byUser.get(userId)
      if (found === undefined) {
        found = { clientIds: [], deletions: [] }
        byUser.set(userId, found)
      }
      return found
    }
    for (const row of await this.store.clients(documentId)) {
      entry(row.user_id).clientIds.push(row.client_id)
    }
    const rows = await this.store.deletions(documentId)
    for (const row of rows) {
      entry(row.user_id).deletions.push(decodeDeleteSet(row.data))
    }
    const result = [...byUser.entries()].map(([userId, value]) => ({
      userId,
      clientIds: value.clientIds,
      deletions: encodeDeleteSet(Y.mergeDeleteSets(value.deletions)),
    }))
    const last = rows[rows.length - 1]
    if (last !== undefined && rows.length > COMPACT_DELETIONS_AFTER) {
      const merged = result.filter((a) => byUser.get(a.userId)?.deletions.length !== 0)
      await this.store
        .replaceDeletions(
          documentId,
          last.id,
          merged.map((a) => ({ userId: a.userId, data: a.deletions })),
          this.now(),
        )
        .catch((error: unknown) =>
          this.logger.warn('deletion compaction failed', { documentId, error: String(error) }),
        )
    }
    return result
  }

  private async writePending(): Promise<void> {
    const clients = [...this.pendingClients.entries()]
    const deletes = [...this.pendingDeletes.entries()]
    this.pendingClients.clear()
    this.pendingDeletes.clear()
    const now = this.now()
    for (const [documentId, users] of clients) {
      for (const [userId, ids] of users) {
        try {
          await this.store.addClients(documentId, userId, [...ids], now)
        } catch (error) {
          this.logger.error('authorship write failed', { documentId, error: String(error) })
        }
      }
    }
    for (const [documentId, users] of deletes) {
      const entries = [...users.entries()].map(([userId, sets]) => ({
        userId,
        data: encodeDeleteSet(Y.mergeDeleteSets(sets)),
      }))
      try {
        await this.store.addDeletions(documentId, entries, now)
      } catch (error) {
        this.logger.error('authorship write failed', { documentId, error: String(error) })
      }
    }
  }
}

function pendingFor<T>(
  map: Map<string, Map<string, T>>,
  documentId: string,
  userId: string,
  create: () => T,
): T {
  let users = map.get(documentId)
  if (users === undefined) {
    users = new Map()
    map.set(documentId, users)
  }
  let value = users.get(userId)
  if (value === undefined) {
    value = create()
    users.set(userId, value)
  }
  return value
}
