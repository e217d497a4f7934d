/**
 * A summary of what an update would change in a document, without applying it: the root and
 * top-level key of each inserted item and of each live item it deletes, and what waits for structs
 * the document lacks. It reads the document policy's plan (server/policy/plan.ts), which follows
 * Yjs's own integration (cut overlaps, dependencies, garbage-collected neighbours).
 *
 * @example
 *   const scope = updateScope(room.doc, Y.decodeUpdate(update))
 *   scope.items.every((p) => p.place === null || p.place.root === 'comments')
 */
import * as Y from 'yjs'
import { judgeChanges } from '../policy/judge'
import type { RefusalReason } from '../policy/judge'
import { PlaceCache } from '../policy/placement'
import type { Place } from '../policy/placement'
import { hasWaiting, planUpdate } from '../policy/plan'
import type { UpdatePlan } from '../policy/plan'
import { sectionsOf } from '../policy/sections'
import type { RoomAccess } from '../../shared/domain/permissions'

/** Where a change lands. */
export interface Placement {
  /** The root type's name in the document ('' when nested deeper than any root allows). */
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
  /** Items whose neighbours or parent are neither in the document nor in the update (they wait). */
  readonly unresolved: readonly Y.Item[]
  /** Where the live items the update deletes are. */
  readonly deletions: readonly Placement[]
  /** Whether the update deletes items the document does not have yet. */
  readonly unresolvedDeletions: boolean
  /** The plan behind the summary. */
  readonly plan: UpdatePlan
  readonly doc: Y.Doc
}

function summary(place: Place | null): Placement | null {
  if (place === null) {
    return null
  }
  const { parent } = place
  if (parent.depth === 0) {
    return { root: parent.root, key: place.key, direct: true }
  }
  return { root: parent.root, key: parent.holders[0]?.key ?? null, direct: false }
}

/** @returns what an update would change in `doc`. */
export function updateScope(doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>): UpdateScope {
  const plan = planUpdate(doc, sectionsOf(decoded), new PlaceCache())
  const unresolved: Y.Item[] = []
  for (const structs of plan.order.waiting.values()) {
    for (const struct of structs) {
      if (struct instanceof Y.Item) {
        unresolved.push(struct)
      }
    }
  }
  return {
    items: plan.items.map(({ item, place }) => ({ item, place: summary(place) })),
    unresolved,
    deletions: plan.deleted.flatMap(({ place }) => summary(place) ?? []),
    unresolvedDeletions: plan.waitingDeletions.length > 0,
    plan,
    doc,
  }
}

/**
 * The room-level verdict on a scope for an access, without an identity (per-entry annotation rules
 * need one; see judgeChanges): a commenter's update that must wait is refused here.
 * @returns why the update must be refused, or null
 */
export function judgeUpdate(
  access: RoomAccess,
  scope: UpdateScope,
): RefusalReason | 'commenter_unresolved' | null {
  if (access !== 'write' && access !== 'comment') {
    return null
  }
  if (access === 'comment' && hasWaiting(scope.plan)) {
    return 'commenter_unresolved'
  }
  return (
    judgeChanges(scope.plan, { access, userId: '', displayName: '' }, scope.doc)?.reason ?? null
  )
}
