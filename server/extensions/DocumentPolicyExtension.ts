/**
 * Enforces the 公文 room model on every document update before it is applied (gongwen-model.md):
 * a commenter may change only `comments` and `suggestions`, never `body` or `meta`; and nobody may
 * mark a document classified (秘密/机密/绝密 — those travel only through 机要 channels). A refused
 * update is neither applied, broadcast nor stored; it is audited and its connection closed (4403).
 */
import { performance } from 'node:perf_hooks'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { classificationProblem, isClassified } from '../../shared/gongwen/meta'
import { COMMENTER_ROOTS, META_ROOT } from '../../shared/gongwen/yBody'
import type { AuditService } from '../audit/AuditService'
import type { Logger } from '../logger'
import type { Connection } from '../relay/Connection'
import type { Room } from '../relay/Room'
import type { Extension, IncomingUpdate, UpdateVerdict } from '../relay/types'
import { updateScope } from './updateScope'
import type { PlacedItem, UpdateScope } from './updateScope'
import * as Y from 'yjs'

/** Why an update was refused (the audit entry's `reason`). */
export type RefusalReason =
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

/** How long the checks took (for BENCHMARKS.md and the metrics endpoint). */
export interface PolicyStats {
  checked: number
  refused: number
  /** Total time spent checking, in milliseconds. */
  totalMs: number
  /** Longest single check, in milliseconds. */
  maxMs: number
}

/** The verdict on a classification value written by an item. */
function classificationOf(placed: PlacedItem): RefusalReason | null {
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
export function judgeUpdate(
  access: Connection['access'],
  scope: UpdateScope,
): RefusalReason | null {
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

/** @returns the roots an update touches (for the audit entry). */
function touchedRoots(scope: UpdateScope): string[] {
  const roots = new Set<string>()
  for (const { place } of scope.items) {
    if (place !== null) {
      roots.add(place.root)
    }
  }
  for (const place of scope.deletions) {
    roots.add(place.root)
  }
  return [...roots].sort()
}

/** The document policy of the relay. */
export class DocumentPolicyExtension implements Extension {
  readonly name = 'document-policy'
  readonly stats: PolicyStats = { checked: 0, refused: 0, totalMs: 0, maxMs: 0 }

  constructor(
    private readonly audit: AuditService,
    private readonly logger: Logger,
  ) {}

  beforeApplyUpdate(connection: Connection, room: Room, incoming: IncomingUpdate): UpdateVerdict {
    if (room.parsed.kind !== 'doc') {
      return 'accept'
    }
    const started = performance.now()
    const scope = updateScope(room.doc, incoming.decoded)
    const reason = judgeUpdate(connection.access, scope)
    const elapsed = performance.now() - started
    this.stats.checked++
    this.stats.totalMs += elapsed
    this.stats.maxMs = Math.max(this.stats.maxMs, elapsed)
    if (reason === null) {
      return 'accept'
    }
    this.stats.refused++
    this.refuse(connection, room, reason, touchedRoots(scope), incoming.update.length)
    return reason === 'classified' ? CloseEvents.classifiedRefused : CloseEvents.updateRefused
  }

  private refuse(
    connection: Connection,
    room: Room,
    reason: RefusalReason,
    roots: string[],
    bytes: number,
  ): void {
    const { identity } = connection
    const detail = { reason, roots, access: connection.access, bytes, room: room.name }
    this.logger.warn('document update refused', { user: identity.userId, ...detail })
    // The hook is synchronous so updates keep their order; the audit append follows on its own.
    this.audit
      .record({
        actor: { id: identity.userId, name: identity.displayName },
        action: 'document.update_refused',
        target: room.parsed.id,
        detail,
      })
      .catch((error: unknown) => {
        this.logger.error('audit of a refused update failed', {
          error: String(error),
          room: room.name,
        })
      })
  }
}
