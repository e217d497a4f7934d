/**
 * Where each ready struct of an update lands in a document, by Yjs's rules (`Item.getMissing`,
 * yjs 13.6): a struct with an origin joins its left neighbour's parent and key, else its right
 * neighbour's; one without origins names its parent (a root, or the item holding a type); a
 * garbage-collected neighbour or parent, or a parent that is not a type, makes it inert. A cut
 * struct's origin is its client's previous item (encode.ts writes it so), and it lands there.
 *
 * A place is the parent type's root, depth and first holders (the items holding the nested types,
 * from the root down), and the struct's key in its parent. Types never move, so the place of an
 * integrated type is cached per document (`PlaceCache`): placing costs a few lookups per struct,
 * and each type is walked over once in the document's life, however deep it is.
 *
 * @example
 *   const placed = placeReady(room.doc, order.ready, cache)
 */
import * as Y from 'yjs'
import type { ReadyStruct } from './integrationOrder'
import { MalformedUpdate } from './sections'

/** One of the items holding a nested type, from the root down. */
export interface Holder {
  readonly item: Y.Item
  /** The holder's key in its own parent (null in a sequence). */
  readonly key: string | null
  /** Whether the holder is in the update (a type it creates) rather than in the document. */
  readonly isNew: boolean
}

/** Where a parent type sits. */
export interface TypePlace {
  readonly root: string
  /** Types between the root and this one, this one included (0 for a root; Infinity: too deep). */
  readonly depth: number
  /** The first HOLDER_PREFIX holders, from the root down (the rules look no deeper). */
  readonly holders: readonly Holder[]
}

/** Where a struct lands: its parent type and its key there (null in a sequence). */
export interface Place {
  readonly parent: TypePlace
  readonly key: string | null
}

/** A ready item and where it lands; `place` null means Yjs integrates it as garbage (inert). */
export interface PlacedItem {
  readonly item: Y.Item
  readonly offset: number
  readonly place: Place | null
}

/** How many holders a place keeps (comments need two: the thread and its replies). */
export const HOLDER_PREFIX = 3

/** A type that cannot be placed (refused as deeper than any root allows). */
export const TOO_DEEP: TypePlace = { root: '', depth: Infinity, holders: [] }

/** Places of a document's integrated types; valid for the document's lifetime. */
export class PlaceCache {
  readonly types = new WeakMap<Y.AbstractType<unknown>, TypePlace>()
  private readonly rootsByName = new Map<string, TypePlace>()

  /** @returns the place of a root type by name (it need not exist yet). */
  root(name: string): TypePlace {
    let place = this.rootsByName.get(name)
    if (place === undefined) {
      place = { root: name, depth: 0, holders: [] }
      this.rootsByName.set(name, place)
    }
    return place
  }
}

/** @returns the place of a type nested one level below `parent`, held by `holder`. */
export function nestedPlace(parent: TypePlace, holder: Holder): TypePlace {
  if (parent.depth === Infinity) {
    return parent
  }
  return {
    root: parent.root,
    depth: parent.depth + 1,
    holders: parent.holders.length < HOLDER_PREFIX ? [...parent.holders, holder] : parent.holders,
  }
}

/**
 * @returns the place of an integrated type. The walk up stops at the first type whose place is
 *   cached, and caches every type it passed: each type of a document is walked over once.
 */
export function typePlace(type: Y.AbstractType<unknown>, cache: PlaceCache): TypePlace {
  const known = cache.types.get(type)
  if (known !== undefined) {
    return known
  }
  const chain: Y.AbstractType<unknown>[] = []
  let current: Y.AbstractType<unknown> = type
  let base: TypePlace
  for (;;) {
    const memo = cache.types.get(current)
    if (memo !== undefined) {
      base = memo
      break
    }
    const holder: Y.Item | null = current._item
    if (holder === null) {
      base = cache.root(Y.findRootTypeKey(current))
      cache.types.set(current, base)
      break
    }
    const parent: unknown = holder.parent
    if (!(parent instanceof Y.AbstractType)) {
      // An integrated type always has a parent; refuse anything placed in one that does not.
      base = TOO_DEEP
      break
    }
    chain.push(current)
    current = parent
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const nested = chain[i]
    const holder = nested?._item
    if (nested === undefined || holder === undefined || holder === null) {
      continue
    }
    base = nestedPlace(base, { item: holder, key: holder.parentSub, isNew: false })
    cache.types.set(nested, base)
  }
  return base
}

/** @returns where an integrated item sits. */
export function integratedPlace(item: Y.Item, cache: PlaceCache): Place | null {
  const parent: unknown = item.parent
  if (!(parent instanceof Y.AbstractType)) {
    return null
  }
  return { parent: typePlace(parent, cache), key: item.parentSub }
}

/** A placed new struct, kept compact (a large update is placed slice by slice). */
interface NewStruct {
  readonly start: number
  readonly end: number
  readonly gc: boolean
  readonly place: Place | null
  /** The place of the type this struct holds, when it holds one. */
  readonly holds: TypePlace | null
}

type Found =
  | { readonly kind: 'store'; readonly struct: Y.Item | Y.GC }
  | { readonly kind: 'new'; readonly struct: NewStruct }
  | null

function search(list: readonly NewStruct[], clock: number): NewStruct | undefined {
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const entry = list[mid]
    if (entry === undefined) {
      return undefined
    }
    if (clock < entry.start) {
      high = mid - 1
    } else if (clock >= entry.end) {
      low = mid + 1
    } else {
      return entry
    }
  }
  return undefined
}

/**
 * Places ready structs of an update, given in their integration order (every struct they refer to
 * is in the document or placed before them). A large update is placed slice by slice with one
 * Placer: it remembers the structs placed so far (a few numbers each) for the slices after.
 */
export class Placer {
  private readonly placedByClient = new Map<number, NewStruct[]>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly cache: PlaceCache,
  ) {}

  /**
   * @param visit told of each placed item in order; returning false stops the placing (a refusal:
   *   the rest of the update need not be looked at)
   * @returns one entry per ready item placed (GC structs are inert and not listed)
   * @throws MalformedUpdate when a struct refers to one that is neither there nor placed before
   *   (Yjs would throw half-way through integrating it)
   */
  place(
    ready: readonly ReadyStruct[],
    visit?: (item: Y.Item, place: Place | null) => boolean,
  ): PlacedItem[] {
    const placed: PlacedItem[] = []
    for (const { struct, offset } of ready) {
      let list = this.placedByClient.get(struct.id.client)
      if (list === undefined) {
        list = []
        this.placedByClient.set(struct.id.client, list)
      }
      const start = struct.id.clock + offset
      const end = struct.id.clock + struct.length
      if (struct instanceof Y.GC) {
        list.push({ start, end, gc: true, place: null, holds: null })
        continue
      }
      const place = this.placeItem(struct, offset)
      const holds =
        place !== null && struct.content instanceof Y.ContentType
          ? nestedPlace(place.parent, { item: struct, key: place.key, isNew: true })
          : null
      list.push({ start, end, gc: false, place, holds })
      placed.push({ item: struct, offset, place })
      if (visit !== undefined && !visit(struct, place)) {
        break
      }
    }
    return placed
  }

  private find(id: Y.ID): Found {
    const store = this.doc.store
    const structs = store.clients.get(id.client)
    if (structs !== undefined && id.clock < Y.getState(store, id.client)) {
      const struct = structs[Y.findIndexSS(structs, id.clock)]
      return struct === undefined ? null : { kind: 'store', struct }
    }
    const list = this.placedByClient.get(id.client)
    const struct = list === undefined ? undefined : search(list, id.clock)
    return struct === undefined ? null : { kind: 'new', struct }
  }

  private placeItem(item: Y.Item, offset: number): Place | null {
    const origin = offset > 0 ? Y.createID(item.id.client, item.id.clock + offset - 1) : item.origin
    const right = item.rightOrigin
    if (origin !== null || right !== null) {
      const left = origin === null ? null : this.find(origin)
      const rightFound = right === null ? null : this.find(right)
      if ((origin !== null && left === null) || (right !== null && rightFound === null)) {
        return unplaced(item)
      }
      if (isGc(left) || isGc(rightFound)) {
        return null
      }
      // Yjs takes the parent from the left neighbour when there is one, else from the right.
      const sibling = origin !== null ? left : rightFound
      if (sibling === null) {
        return null
      }
      if (sibling.kind === 'store') {
        return sibling.struct instanceof Y.Item ? integratedPlace(sibling.struct, this.cache) : null
      }
      return sibling.struct.place
    }
    const parent: unknown = item.parent
    if (typeof parent === 'string') {
      return { parent: this.cache.root(parent), key: item.parentSub }
    }
    if (!(parent instanceof Y.ID)) {
      return null
    }
    const holder = this.find(parent)
    if (holder === null) {
      return unplaced(item)
    }
    if (holder.kind === 'new') {
      return holder.struct.holds === null
        ? null
        : { parent: holder.struct.holds, key: item.parentSub }
    }
    const held = holder.struct
    if (!(held instanceof Y.Item) || !(held.content instanceof Y.ContentType)) {
      return null
    }
    return { parent: typePlace(held.content.type, this.cache), key: item.parentSub }
  }
}

function isGc(found: Found): boolean {
  return found !== null && (found.kind === 'store' ? found.struct instanceof Y.GC : found.struct.gc)
}

function unplaced(item: Y.Item): never {
  throw new MalformedUpdate(`struct ${item.id.client}:${item.id.clock} refers to a missing struct`)
}

/** Places the ready structs of one update (see Placer). */
export function placeReady(
  doc: Y.Doc,
  ready: readonly ReadyStruct[],
  cache: PlaceCache,
): PlacedItem[] {
  return new Placer(doc, cache).place(ready)
}
