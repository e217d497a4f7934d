/**
 * The 公文 room model, judged on a planned update (plan.ts): a commenter changes only `comments` and
 * `suggestions`; nobody marks a document classified, and only a plain allowed value stands directly
 * on meta.classification; no type nests deeper than its root allows (shared/limits.ts); no
 * subdocuments; 批注 and 修订 follow their per-entry rules (annotationRules.ts).
 *
 * @example
 *   const refusal = judgeChanges(plan, { access: 'comment', userId, displayName }, room.doc)
 */
import * as Y from 'yjs'
import {
  FLOW_WRITTEN_META_KEYS as FLOW_WRITTEN_KEYS,
  classificationProblem,
  isClassified,
} from '../../shared/gongwen/meta'
import { BODY_ROOT, COMMENTER_ROOTS, META_ROOT } from '../../shared/gongwen/yBody'
import { MAX_NESTING, MAX_NESTING_OTHER } from '../../shared/limits'
import { AnnotationRules } from './annotationRules'
import type { AnnotationRefusal, Sender } from './annotationRules'
import type { Place, PlaceCache, PlacedItem } from './placement'
import { planUpdate } from './plan'
import type { DeletedItem, UpdatePlan } from './plan'
import type { Sections } from './sections'

/** Why an update was refused (the audit entry's `reason`). */
export type RefusalReason =
  /** A commenter's update changes a root other than comments and suggestions. */
  | 'commenter_root'
  /** The update sets meta.classification to 秘密, 机密 or 绝密. */
  | 'classified'
  /** The update puts something other than a plain allowed value on meta.classification. */
  | 'classification_invalid'
  /** The update creates or changes a type nested deeper than its root allows. */
  | 'nesting_too_deep'
  /** A kind of content a document never holds (subdocuments). */
  | 'content_kind'
  /** The update writes with a Yjs client id bound to another account (or the relay). */
  | 'client_id_taken'
  /** The update writes a meta key only the approval flow fills (签发人, 发文字号, 印发日期). */
  | 'flow_filled_meta'
  /** An approval runs and the sender is neither its initiator (before a consent) nor an assignee now. */
  | 'approval_body_locked'
  | AnnotationRefusal

/** A refusal and what it concerns. */
export interface Refusal {
  readonly reason: RefusalReason
  /** The roots the update touches (sorted). */
  readonly roots: readonly string[]
  /** The path of the change refused, e.g. comments/<thread>/text, when one change is at fault. */
  readonly path: string | null
}

/**
 * Meta keys only the approval flow writes (签发 → signers, 编号 → documentNumber, 分发 → printDate);
 * a client's write to them is refused on every document.
 */
export const FLOW_WRITTEN_META_KEYS: ReadonlySet<string> = new Set(FLOW_WRITTEN_KEYS)

/** @returns the flow-written meta key a change at `place` touches, or null. */
function flowWrittenKey(place: Place): string | null {
  if (place.parent.root !== META_ROOT) {
    return null
  }
  const key = place.parent.depth === 0 ? place.key : (place.parent.holders[0]?.key ?? null)
  return key !== null && FLOW_WRITTEN_META_KEYS.has(key) ? key : null
}

/** @returns whether a meta value is absent or empty ('' or an empty list). */
function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (value instanceof Y.Array && value.length === 0)
  )
}

/** The field the classification check watches. */
const CLASSIFICATION_KEY = 'classification'

/** @returns the deepest nesting a root allows. */
export function nestingLimit(root: string): number {
  return MAX_NESTING[root] ?? MAX_NESTING_OTHER
}

/** @returns the verdict on an item written at `place` regarding meta.classification. */
export function classificationVerdict(
  content: Y.Item['content'],
  place: Place,
): 'classified' | 'classification_invalid' | null {
  const { parent } = place
  if (parent.root !== META_ROOT) {
    return null
  }
  const direct = parent.depth === 0
  if (!direct) {
    // Anything nested inside meta.classification could carry a level past readers.
    return parent.holders[0]?.key === CLASSIFICATION_KEY ? 'classification_invalid' : null
  }
  if (place.key !== CLASSIFICATION_KEY || content instanceof Y.ContentDeleted) {
    return null
  }
  if (!(content instanceof Y.ContentAny)) {
    // Still tell a classified level apart (the user sees the 机要 message), whatever carries it.
    const carried = content instanceof Y.ContentString ? [content.str] : content.getContent()
    return carried.some(isClassified) ? 'classified' : 'classification_invalid'
  }
  let verdict: 'classified' | 'classification_invalid' | null = null
  for (const value of content.getContent()) {
    const problem = classificationProblem(value)
    if (problem === 'classified') {
      return 'classified'
    }
    verdict ??= problem === 'invalid' ? 'classification_invalid' : null
  }
  return verdict
}

/**
 * Judges an update's changes, all at once or slice by slice (a large catch-up): `add` each part's
 * placed items and deletions in order, then `finish`.
 */
export class Judge {
  private classified = false
  private invalid: string | null = null
  private other: { reason: RefusalReason; path: string | null } | null = null
  private readonly roots = new Set<string>()
  private readonly annotations: AnnotationRules

  constructor(
    private readonly sender: Sender,
    private readonly doc: Y.Doc,
  ) {
    this.annotations = new AnnotationRules(sender, doc)
  }

  /** Judges placed items and deleted items (in the update's order). */
  add(items: readonly PlacedItem[], deleted: readonly DeletedItem[]): void {
    for (const { item, place } of items) {
      this.judgeItem(item, place)
    }
    this.judgeDeletions(deleted)
  }

  /** Judges one placed item. @returns whether nothing is refused so far (false: stop looking) */
  judgeItem(item: Y.Item, place: Place | null): boolean {
    if (place !== null) {
      this.write(item, place)
    }
    return !this.classified && this.invalid === null && this.other === null
  }

  /** Judges the live items an update deletes. */
  judgeDeletions(deleted: readonly DeletedItem[]): void {
    for (const { item, place } of deleted) {
      if (place === null) {
        continue
      }
      const root = place.parent.root
      this.roots.add(root)
      this.guard(place, null)
      if (!COMMENTER_ROOTS.has(root)) {
        if (this.sender.access === 'comment') {
          this.refuse('commenter_root', root)
        }
        continue
      }
      this.annotations.delete(item, place)
    }
  }

  /** @returns the refusal, or null when everything added may be applied */
  finish(): Refusal | null {
    const roots = [...this.roots].filter((root) => root !== '').sort()
    const path = `${META_ROOT}/${CLASSIFICATION_KEY}`
    if (this.classified) {
      return { reason: 'classified', roots, path }
    }
    if (this.invalid !== null) {
      return { reason: 'classification_invalid', roots, path }
    }
    if (this.other !== null) {
      return { reason: this.other.reason, roots, path: this.other.path }
    }
    const verdict = this.annotations.finish()
    return verdict === null ? null : { reason: verdict.reason, roots, path: verdict.path }
  }

  private refuse(reason: RefusalReason, path: string | null): void {
    this.other ??= { reason, path }
  }

  /**
   * The approval's rules: flow-written meta keys (a client may only set an empty one to its empty
   * default, as templates and imports do), and the body while an approval runs.
   * @param content what is written, null for a deletion
   */
  private guard(place: Place, content: Y.Item['content'] | null): void {
    const flowKey = flowWrittenKey(place)
    if (flowKey !== null) {
      const now: unknown = this.doc.getMap(META_ROOT).get(flowKey)
      const harmless =
        place.parent.depth === 0 &&
        isEmptyValue(now) &&
        (content === null ||
          (content instanceof Y.ContentAny && content.getContent().every(isEmptyValue)))
      if (!harmless) {
        this.refuse('flow_filled_meta', `${META_ROOT}/${flowKey}`)
      }
    } else if (place.parent.root === BODY_ROOT && this.sender.bodyLocked === true) {
      this.refuse('approval_body_locked', BODY_ROOT)
    }
  }

  private write(item: Y.Item, place: Place): void {
    const { parent } = place
    this.roots.add(parent.root)
    this.guard(place, item.content)
    const classification = classificationVerdict(item.content, place)
    if (classification === 'classified') {
      this.classified = true
    } else if (classification !== null) {
      this.invalid ??= parent.root
    }
    const limit = nestingLimit(parent.root)
    const isType = item.content instanceof Y.ContentType
    if (parent.depth > limit || (isType && parent.depth + 1 > limit)) {
      this.refuse('nesting_too_deep', parent.root === '' ? null : parent.root)
      return
    }
    if (item.content instanceof Y.ContentDoc) {
      this.refuse('content_kind', parent.root)
      return
    }
    if (!COMMENTER_ROOTS.has(parent.root)) {
      if (this.sender.access === 'comment') {
        this.refuse('commenter_root', parent.root)
      }
      return
    }
    this.annotations.write(item, place)
  }
}

/** @returns why the planned update must be refused for its sender, or null when it may be applied */
export function judgeChanges(plan: UpdatePlan, sender: Sender, doc: Y.Doc): Refusal | null {
  const judge = new Judge(sender, doc)
  judge.add(plan.items, plan.deleted)
  return judge.finish()
}

/**
 * Plans an update and judges it as it goes, stopping at the first refusal (a hostile update is
 * not placed further than its first forbidden struct).
 * @returns the plan (partial when refused) and the refusal, if any
 */
export function planAndJudge(
  doc: Y.Doc,
  sections: Sections,
  cache: PlaceCache,
  sender: Sender,
): { plan: UpdatePlan; refusal: Refusal | null } {
  const judge = new Judge(sender, doc)
  const plan = planUpdate(doc, sections, cache, (item, place) => judge.judgeItem(item, place))
  judge.judgeDeletions(plan.deleted)
  return { plan, refusal: judge.finish() }
}
