/**
 * The plan of one update against a document: what Yjs will integrate now and where it lands, what
 * it deletes, and what must wait for structs the document lacks — decided before anything is
 * applied, so the relay judges the update by what it will do (judge.ts), hands Yjs only the
 * part it judged (`encodeReady`) and keeps the rest itself (never Yjs's unjudged pending structs).
 *
 * @example
 *   const plan = planUpdate(room.doc, readSections(update), cache)
 *   if (judgeChanges(plan, sender, room.doc) === null) Y.applyUpdate(room.doc, plan.asReceived ? update : encodeReady(plan))
 */
import * as Y from 'yjs'
import { encodeStructs, encodeWaiting } from './encode'
import type { DeleteRange } from './encode'
import { integrationOrder } from './integrationOrder'
import type { IntegrationOrder } from './integrationOrder'
import { Placer, integratedPlace } from './placement'
import type { Place, PlaceCache, PlacedItem } from './placement'
import type { Sections } from './sections'

/** A live item of the document that the update deletes, and where it is. */
export interface DeletedItem {
  readonly item: Y.Item
  readonly place: Place | null
}

/** What an update does to a document. */
export interface UpdatePlan {
  readonly order: IntegrationOrder
  /** The ready items and their places. */
  readonly items: readonly PlacedItem[]
  /** Live items of the document it deletes. */
  readonly deleted: readonly DeletedItem[]
  /** Deleted ranges that apply now (in the document or among the ready structs). */
  readonly deletions: readonly DeleteRange[]
  /** Deleted ranges of structs neither the document nor the ready part has. */
  readonly waitingDeletions: readonly DeleteRange[]
  /** Whether Yjs may be handed the update as received: every struct ready, uncut, nothing waits. */
  readonly asReceived: boolean
  /** Client ids whose clocks the ready part advances (what the sender writes with). */
  readonly clients: readonly number[]
}

/** @returns whether the plan leaves something waiting for structs the document lacks. */
export function hasWaiting(plan: UpdatePlan): boolean {
  return plan.order.waiting.size > 0 || plan.waitingDeletions.length > 0
}

/** @returns the ready part as an update for Yjs (cut structs rewritten as Yjs would link them). */
export function encodeReady(plan: UpdatePlan): Uint8Array {
  return encodeStructs(plan.order.ready, plan.deletions)
}

/** @returns the waiting part as an update, to be planned again when its dependencies arrive. */
export function encodeRest(plan: UpdatePlan): Uint8Array {
  return encodeWaiting(plan.order.waiting, plan.waitingDeletions)
}

/** @returns the clients whose new structs an update's sections carry, beyond a document's state. */
export function writtenClients(sections: Sections, stateOf: (client: number) => number): number[] {
  const clients: number[] = []
  for (const [client, structs] of sections.clients) {
    const last = structs[structs.length - 1]
    if (last !== undefined && last.id.clock + last.length > stateOf(client)) {
      clients.push(client)
    }
  }
  return clients
}

/**
 * @returns the live items of `doc` a delete set deletes, and where they are (ranges beyond the
 *   document's state concern new structs, judged as inserted, or wait)
 */
export function deletedItems(doc: Y.Doc, ds: Sections['ds'], cache: PlaceCache): DeletedItem[] {
  const store = doc.store
  const deleted: DeletedItem[] = []
  for (const [client, ranges] of ds.clients) {
    const structs = store.clients.get(client)
    const before = Y.getState(store, client)
    if (structs === undefined) {
      continue
    }
    for (const { clock, len } of ranges) {
      const stop = Math.min(clock + len, before)
      if (clock >= stop) {
        continue
      }
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]
        if (struct === undefined || struct.id.clock >= stop) {
          break
        }
        if (struct instanceof Y.Item && !struct.deleted) {
          deleted.push({ item: struct, place: integratedPlace(struct, cache) })
        }
      }
    }
  }
  return deleted
}

/**
 * @param visit told of each placed item; returning false stops placing (the plan is then partial
 *   and must not be applied: it is for a refusal)
 * @returns what the update in `sections` does to `doc`
 */
export function planUpdate(
  doc: Y.Doc,
  sections: Sections,
  cache: PlaceCache,
  visit?: (item: Y.Item, place: Place | null) => boolean,
): UpdatePlan {
  const store = doc.store
  const stateOf = (client: number) => Y.getState(store, client)
  const order = integrationOrder(sections.clients, stateOf)
  const items = new Placer(doc, cache).place(order.ready, visit)

  const deleted = deletedItems(doc, sections.ds, cache)
  const deletions: DeleteRange[] = []
  const waitingDeletions: DeleteRange[] = []
  for (const [client, ranges] of sections.ds.clients) {
    const after = order.after.get(client) ?? stateOf(client)
    for (const { clock, len } of ranges) {
      const end = clock + len
      if (clock < after) {
        deletions.push({ client, clock, len: Math.min(end, after) - clock })
      }
      if (end > after) {
        const from = Math.max(clock, after)
        waitingDeletions.push({ client, clock: from, len: end - from })
      }
    }
  }

  let asReceived = order.waiting.size === 0 && waitingDeletions.length === 0
  if (asReceived) {
    let count = 0
    for (const ready of order.ready) {
      if (ready.offset !== 0) {
        asReceived = false
        break
      }
      count++
    }
    // Every struct ready, none skipped as already there (nor a Skip in between).
    asReceived &&= count === sections.structCount
  }
  const clients = [...new Set(order.ready.map((ready) => ready.struct.id.client))]
  return { order, items, deleted, deletions, waitingDeletions, asReceived, clients }
}
