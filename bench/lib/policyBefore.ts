/**
 * The document policy as it was before issue 17 (commit 120dfa6: server/extensions/updateScope.ts and
 * the judgeUpdate of DocumentPolicyExtension.ts), kept only so that bench/documentPolicy.ts can
 * measure it side by side with the current one. Not used by the relay.
 */
import * as Y from 'yjs'
import { classificationProblem, isClassified } from '../../shared/gongwen/meta'
import { COMMENTER_ROOTS, META_ROOT } from '../../shared/gongwen/yBody'
import type { RoomAccess } from '../../shared/domain/permissions'

/** Where a change lands. */
export interface Placement {
  /** The root type's name in the document. */
  readonly root: string
  /** The map key (parentSub) of the root-level item that holds the change, or null in a sequence. */
  readonly key: string | null
  /** Whether the change is itself a root-level item (a map value set directly, e.g. meta.title). */
  readonly direct: boolean
}

/** An inserted item and where it lands; `place` null means Yjs would not integrate it (inert). */
export interface PlacedItem {
  readonly item: Y.Item
  readonly place: Placement | null
}

/** Everything an update would change. */
export interface UpdateScope {
  readonly items: readonly PlacedItem[]
  /** Items whose neighbours or parent are neither in the document nor in the update (pending). */
  readonly unresolved: readonly Y.Item[]
  /** Where the live items the update deletes are. */
  readonly deletions: readonly Placement[]
  /** Whether the update deletes items the document does not have yet (pending deletions). */
  readonly unresolvedDeletions: boolean
}

type Resolution = Placement | null | 'missing'
type Found = Y.Item | Y.GC | Y.Skip | undefined

/** Index of the update's structs by client, sorted by clock as the update carries them. */
function indexStructs(
  structs: readonly (Y.Item | Y.GC | Y.Skip)[],
): Map<number, (Y.Item | Y.GC | Y.Skip)[]> {
  const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>()
  for (const struct of structs) {
    const list = byClient.get(struct.id.client)
    if (list === undefined) {
      byClient.set(struct.id.client, [struct])
    } else {
      list.push(struct)
    }
  }
  return byClient
}

function searchUpdate(list: readonly (Y.Item | Y.GC | Y.Skip)[] | undefined, clock: number): Found {
  if (list === undefined) {
    return undefined
  }
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const struct = list[mid]
    if (struct === undefined) {
      return undefined
    }
    if (clock < struct.id.clock) {
      high = mid - 1
    } else if (clock >= struct.id.clock + struct.length) {
      low = mid + 1
    } else {
      return struct
    }
  }
  return undefined
}

/** @returns the document's struct holding `id`, or undefined when the document lacks it. */
function searchStore(doc: Y.Doc, client: number, clock: number): Y.Item | Y.GC | undefined {
  const structs = doc.store.clients.get(client)
  if (structs === undefined || clock >= Y.getState(doc.store, client)) {
    return undefined
  }
  return structs[Y.findIndexSS(structs, clock)]
}

/** Places an integrated item by walking up to its root. */
function placeIntegrated(
  item: Y.Item,
  roots: Map<Y.AbstractType<unknown>, string>,
): Placement | null {
  let top = item
  for (;;) {
    const parent: unknown = top.parent
    if (!(parent instanceof Y.AbstractType)) {
      return null
    }
    const holder: Y.Item | null = parent._item
    if (holder === null) {
      let root = roots.get(parent)
      if (root === undefined) {
        root = Y.findRootTypeKey(parent)
        roots.set(parent, root)
      }
      return { root, key: top.parentSub, direct: top === item }
    }
    top = holder
  }
}

/** @returns what an update would change in `doc`. */
export function updateScopeBefore(
  doc: Y.Doc,
  decoded: ReturnType<typeof Y.decodeUpdate>,
): UpdateScope {
  const byClient = indexStructs(decoded.structs)
  const roots = new Map<Y.AbstractType<unknown>, string>()
  const memo = new Map<Y.Item, Resolution>()

  const find = (id: Y.ID): Found =>
    searchStore(doc, id.client, id.clock) ?? searchUpdate(byClient.get(id.client), id.clock)

  /** One step: a final answer, or the update item to resolve first and how to derive from it. */
  const step = (item: Y.Item): { done: Resolution } | { next: Y.Item; child: boolean } => {
    const left = item.origin === null ? undefined : find(item.origin)
    const right = item.rightOrigin === null ? undefined : find(item.rightOrigin)
    if (item.origin !== null || item.rightOrigin !== null) {
      if (
        (item.origin !== null && left === undefined) ||
        (item.rightOrigin !== null && right === undefined)
      ) {
        return { done: 'missing' }
      }
      if (left instanceof Y.Skip || right instanceof Y.Skip) {
        return { done: 'missing' }
      }
      if (left instanceof Y.GC || right instanceof Y.GC) {
        return { done: null }
      }
      const sibling = left instanceof Y.Item ? left : right instanceof Y.Item ? right : undefined
      if (sibling === undefined) {
        return { done: 'missing' }
      }
      // A sibling in the document is placed by walking up; one in the update is resolved first.
      return isIntegrated(sibling)
        ? { done: placeIntegrated(sibling, roots) }
        : { next: sibling, child: false }
    }
    const parent: unknown = item.parent
    if (typeof parent === 'string') {
      return { done: { root: parent, key: item.parentSub, direct: true } }
    }
    if (!(parent instanceof Y.ID)) {
      return { done: null }
    }
    const holder = find(parent)
    if (holder === undefined || holder instanceof Y.Skip) {
      return { done: 'missing' }
    }
    if (holder instanceof Y.GC || !(holder.content instanceof Y.ContentType)) {
      return { done: null }
    }
    if (isIntegrated(holder)) {
      return { done: nested(placeIntegrated(holder, roots)) }
    }
    return { next: holder, child: true }
  }

  const resolve = (start: Y.Item): Resolution => {
    const chain: { item: Y.Item; child: boolean }[] = []
    const seen = new Set<Y.Item>()
    let current = start
    let result: Resolution
    for (;;) {
      const known = memo.get(current)
      if (known !== undefined) {
        result = known
        break
      }
      if (seen.has(current)) {
        result = 'missing'
        break
      }
      seen.add(current)
      const next = step(current)
      if ('done' in next) {
        memo.set(current, next.done)
        result = next.done
        break
      }
      chain.push({ item: current, child: next.child })
      current = next.next
    }
    // Unwind: a sibling shares its neighbour's place; a child sits inside its holder's.
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i]
      if (link === undefined) {
        continue
      }
      result = link.child && result !== 'missing' ? nested(result) : result
      memo.set(link.item, result)
    }
    return result
  }

  const items: PlacedItem[] = []
  const unresolved: Y.Item[] = []
  for (const struct of decoded.structs) {
    // Structs the document already has are skipped by Yjs: they change nothing.
    if (
      !(struct instanceof Y.Item) ||
      struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)
    ) {
      continue
    }
    const place = resolve(struct)
    if (place === 'missing') {
      unresolved.push(struct)
    } else {
      items.push({ item: struct, place })
    }
  }

  const deletions: Placement[] = []
  let unresolvedDeletions = false
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      let at = clock
      while (at < clock + len) {
        const struct = searchStore(doc, client, at) ?? searchUpdate(byClient.get(client), at)
        if (struct === undefined) {
          unresolvedDeletions = true
          break
        }
        // Deleting what is already deleted changes nothing (every sync step 2 repeats the delete set).
        if (struct instanceof Y.Item && isIntegrated(struct) && !struct.deleted) {
          const place = placeIntegrated(struct, roots)
          if (place !== null) {
            deletions.push(place)
          }
        }
        at = struct.id.clock + struct.length
      }
    }
  }
  return { items, unresolved, deletions, unresolvedDeletions }
}

function nested(place: Resolution): Resolution {
  return place === null || place === 'missing'
    ? place
    : { root: place.root, key: place.key, direct: false }
}

/** Integrated items have their parent type; decoded ones a root name, an id or null. */
function isIntegrated(item: Y.Item): boolean {
  return item.parent instanceof Y.AbstractType
}

/** Why an update was refused (the audit entry's `reason`). */
export type RefusalReasonBefore =
  /** A commenter's update changes a root other than comments and suggestions. */
  | 'commenter_root'
  /** A commenter's update depends on content the relay does not have, so it cannot be checked. */
  | 'commenter_unresolved'
  /** The update sets meta.classification to 秘密, 机密 or 绝密. */
  | 'classified'
  /** The update sets meta.classification to something other than `none`. */
  | 'classification_invalid'

/** The field the classification check watches. */
const CLASSIFICATION_KEY = 'classification'

/** The verdict on a classification value written by an item. */
function classificationOf(placed: PlacedItem): RefusalReasonBefore | null {
  const { item, place } = placed
  if (place === null || place.root !== META_ROOT || place.key !== CLASSIFICATION_KEY) {
    return null
  }
  if (item.content instanceof Y.ContentDeleted) {
    return null
  }
  // Only a plain value set directly on meta.classification may stand; anything nested inside it
  // or of another content kind could smuggle a level past readers.
  if (!place.direct || !(item.content instanceof Y.ContentAny)) {
    return 'classification_invalid'
  }
  for (const value of item.content.getContent()) {
    const problem = classificationProblem(value)
    if (problem !== null) {
      return problem === 'classified' ? 'classified' : 'classification_invalid'
    }
  }
  return null
}

/** @returns why the update must be refused for this access, or null when it may be applied. */
export function judgeUpdateBefore(
  access: RoomAccess,
  scope: UpdateScope,
): RefusalReasonBefore | null {
  let invalid = false
  for (const placed of scope.items) {
    const verdict = classificationOf(placed)
    if (verdict === 'classified') {
      return verdict
    }
    invalid ||= verdict === 'classification_invalid'
  }
  // Pending items cannot be placed yet; a classified value among them is refused all the same.
  for (const item of scope.unresolved) {
    if (item.content instanceof Y.ContentAny && item.content.getContent().some(isClassified)) {
      return 'classified'
    }
  }
  if (invalid) {
    return 'classification_invalid'
  }
  if (access !== 'comment') {
    return null
  }
  if (scope.unresolved.length > 0 || scope.unresolvedDeletions) {
    return 'commenter_unresolved'
  }
  const outside = (root: string) => !COMMENTER_ROOTS.has(root)
  if (
    scope.items.some((p) => p.place !== null && outside(p.place.root)) ||
    scope.deletions.some((d) => outside(d.root))
  ) {
    return 'commenter_root'
  }
  return null
}
