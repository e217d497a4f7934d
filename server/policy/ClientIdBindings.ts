/**
 * Which account may write with which Yjs client id in a document: the first one that did. A struct
 * carries its author only as a client id, so without this anyone could write (and be credited) as
 * anyone, or continue another client's clocks where Yjs links them after that client's items.
 *
 * Bindings live in the database, shared by every relay node (claimed with insert-if-absent); the
 * bindings a node has seen are cached per loaded document, so a keystroke's check is a map lookup.
 * The relay's own client id of each loaded room, and the ids of changes the server makes, belong to
 * RELAY_OWNER and no user can claim them. An id the document already has structs of but that
 * nobody claimed (the server's writes before this existed) is the relay's too.
 *
 * @example
 *   const verdict = bindings.claim(documentId, userId, [clientId], (c) => Y.getState(store, c) > 0)
 *   // 'accept' | 'taken' | Promise of either
 */
import type { Logger } from '../logger'
import type { ClientIdStore } from '../storage/ClientIdStore'

/** The owner of the relay's own client ids (no user id looks like it). */
export const RELAY_OWNER = '@relay'

/** Whether a claim holds. */
export type ClaimVerdict = 'accept' | 'taken'

/** Client id bindings with a per-document cache. */
export class ClientIdBindings {
  private readonly known = new Map<string, Map<number, string>>()

  constructor(
    private readonly store: ClientIdStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims `clientIds` for `userId` in a document.
   * @param present whether the document already has structs of a client id
   * @returns 'taken' when any of them belongs to someone else; synchronous when all are cached
   */
  claim(
    documentId: string,
    userId: string,
    clientIds: readonly number[],
    present: (clientId: number) => boolean,
  ): ClaimVerdict | Promise<ClaimVerdict> {
    const cache = this.cache(documentId)
    const unknown: number[] = []
    for (const clientId of clientIds) {
      const owner = cache.get(clientId)
      if (owner === undefined) {
        unknown.push(clientId)
      } else if (owner !== userId) {
        return 'taken'
      }
    }
    if (unknown.length === 0) {
      return 'accept'
    }
    const fresh = unknown.filter((clientId) => !present(clientId))
    const written = unknown.filter(present)
    return (async () => {
      const now = this.now()
      const owners = new Map([
        ...(await this.store.claim(documentId, userId, fresh, now)),
        ...(await this.store.claim(documentId, RELAY_OWNER, written, now)),
      ])
      let verdict: ClaimVerdict = 'accept'
      for (const clientId of unknown) {
        const owner = owners.get(clientId) ?? RELAY_OWNER
        this.cache(documentId).set(clientId, owner)
        if (owner !== userId) {
          verdict = 'taken'
        }
      }
      return verdict
    })()
  }

  /**
   * Binds a loaded room's own client id to the relay.
   * @returns false when the id belongs to someone else (pick another and try again)
   */
  async reserve(documentId: string, clientId: number): Promise<boolean> {
    const owners = await this.store.claim(documentId, RELAY_OWNER, [clientId], this.now())
    const owner = owners.get(clientId) ?? RELAY_OWNER
    this.cache(documentId).set(clientId, owner)
    return owner === RELAY_OWNER
  }

  /** Binds client ids of a change the server made to the relay (cached now, stored soon). */
  bindRelay(documentId: string, clientIds: readonly number[]): void {
    const cache = this.cache(documentId)
    const unbound = clientIds.filter((clientId) => !cache.has(clientId))
    if (unbound.length === 0) {
      return
    }
    for (const clientId of unbound) {
      cache.set(clientId, RELAY_OWNER)
    }
    this.store.claim(documentId, RELAY_OWNER, unbound, this.now()).then(
      (owners) => {
        for (const [clientId, owner] of owners) {
          this.cache(documentId).set(clientId, owner)
        }
      },
      (error: unknown) =>
        this.logger.error('binding the relay client ids failed', {
          documentId,
          error: String(error),
        }),
    )
  }

  /** Drops a document's cached bindings (its room unloaded); they stay in the database. */
  forget(documentId: string): void {
    this.known.delete(documentId)
  }

  private cache(documentId: string): Map<number, string> {
    let cache = this.known.get(documentId)
    if (cache === undefined) {
      cache = new Map()
      this.known.set(documentId, cache)
    }
    return cache
  }
}
