/**
 * Per-entry rules of 批注 and 修订 (shared/gongwen/annotations.ts), judged on an update's placed
 * changes: the path of map keys from the root to each change tells which thread, field or reply it
 * touches, and whether that entry is in the document already or created by the same update.
 *
 *   comments/<thread>                 a thread (a Y.Map); writing it replaces the current one
 *   comments/<thread>/<field>         a field: identity fields never change, content is the
 *                                     author's, resolving is editors' and the author's
 *   comments/<thread>/replies/#       a reply (a plain object): the sender's own; deleted by its author
 *   suggestions/<id>/<field>          likewise; only editors decide, in their own name
 *
 * @example
 *   const rules = new AnnotationRules(sender, doc)
 *   for (const placed of items) rules.write(placed)   // then rules.finish()
 */
import * as Y from 'yjs'
import {
  AUTHOR_ID_FIELD,
  AUTHOR_NAME_FIELD,
  COMMENTS_ROOT,
  REPLIES_FIELD,
  SUGGESTION_FIELD_ROLES,
  SUGGESTION_FIELDS,
  SUGGESTION_VALUES,
  THREAD_FIELD_ROLES,
  THREAD_FIELDS,
  THREAD_VALUES,
  isReplyRecord,
  mayDecide,
  mayResolve,
  replyAuthor,
} from '../../shared/gongwen/annotations'
import type { AnnotatorAccess, FieldRole } from '../../shared/gongwen/annotations'
import type { Place } from './placement'

/** Why an annotation change was refused. */
export type AnnotationRefusal =
  /** A field, value or content kind the declaration does not allow there. */
  | 'annotation_shape'
  /** A new thread, reply or suggestion not in the sender's own name. */
  | 'annotation_author'
  /** Editing or deleting an entry or reply someone else wrote. */
  | 'annotation_not_author'
  /** Resolving or deciding without the right, or naming someone else as the one who did. */
  | 'annotation_decision'
  /** Changing an entry's id, author or creation time. */
  | 'annotation_identity'

/** Who sends the update. */
export interface Sender {
  readonly access: AnnotatorAccess
  readonly userId: string
  readonly displayName: string
  /** An approval runs and this sender may not change the body now (server/policy/bodyLocks.ts). */
  readonly bodyLocked?: boolean
}

/** A refusal with the path it concerns (for the audit entry). */
export interface AnnotationVerdict {
  readonly reason: AnnotationRefusal
  readonly path: string
}

interface Kind {
  readonly fields: ReadonlySet<string>
  readonly roles: Readonly<Record<string, FieldRole>>
  readonly values: Readonly<Record<string, (value: unknown) => boolean>>
  readonly decider: 'resolvedBy' | 'decidedBy'
}

const THREADS: Kind = {
  fields: new Set(THREAD_FIELDS),
  roles: THREAD_FIELD_ROLES,
  values: THREAD_VALUES,
  decider: 'resolvedBy',
}
const SUGGESTIONS: Kind = {
  fields: new Set(SUGGESTION_FIELDS),
  roles: SUGGESTION_FIELD_ROLES,
  values: SUGGESTION_VALUES,
  decider: 'decidedBy',
}

function kindOf(root: string): Kind {
  return root === COMMENTS_ROOT ? THREADS : SUGGESTIONS
}

function entryMap(item: Y.Item): Y.Map<unknown> | null {
  return item.content instanceof Y.ContentType && item.content.type instanceof Y.Map
    ? item.content.type
    : null
}

function pathOf(place: Place, tail: string | null): string {
  const keys = [place.parent.root, ...place.parent.holders.map((h) => h.key ?? '#')]
  if (tail !== null) {
    keys.push(tail)
  }
  return keys.join('/')
}

/** Values an item holds: plain values, or undefined for a deletion placeholder. */
function plainValues(item: Y.Item): unknown[] | null {
  if (item.content instanceof Y.ContentDeleted) {
    return [undefined]
  }
  return item.content instanceof Y.ContentAny ? item.content.getContent() : null
}

/** Judges the annotation changes of one update; the first refusal is kept. */
export class AnnotationRules {
  private refusal: AnnotationVerdict | null = null
  /** New entries of this update: their item, root, key and the fields written. */
  private readonly created = new Map<
    Y.Item,
    { kind: Kind; key: string; fields: Map<string, unknown[]> }
  >()
  /** Entries and reply lists this update deletes (their contents go with them). */
  private readonly deletedHolders = new Set<Y.Item>()

  constructor(
    private readonly sender: Sender,
    private readonly doc: Y.Doc,
  ) {}

  /** @returns the first refusal so far */
  get verdict(): AnnotationVerdict | null {
    return this.refusal
  }

  private refuse(reason: AnnotationRefusal, path: string): void {
    this.refusal ??= { reason, path }
  }

  /** Judges an item the update inserts at `place` (root comments or suggestions). */
  write(item: Y.Item, place: Place): void {
    const { parent } = place
    const kind = kindOf(parent.root)
    const path = pathOf(place, place.key)
    if (parent.depth === 0) {
      this.writeEntry(item, place.key, kind, path)
      return
    }
    const entry = parent.holders[0]
    if (entry === undefined || entry.key === null || entryMap(entry.item) === null) {
      this.refuse('annotation_shape', path)
      return
    }
    if (parent.depth === 1) {
      this.writeField(item, place.key, kind, entry.item, entry.isNew, path)
      return
    }
    const list = parent.holders[1]
    const isReplies =
      parent.depth === 2 &&
      kind === THREADS &&
      list !== undefined &&
      list.key === REPLIES_FIELD &&
      list.item.content instanceof Y.ContentType &&
      list.item.content.type instanceof Y.Array &&
      place.key === null
    if (!isReplies) {
      this.refuse('annotation_shape', path)
      return
    }
    if (item.content instanceof Y.ContentDeleted) {
      return
    }
    if (!(item.content instanceof Y.ContentAny)) {
      this.refuse('annotation_shape', path)
      return
    }
    for (const reply of item.content.getContent()) {
      if (!isReplyRecord(reply)) {
        this.refuse('annotation_shape', path)
      } else if (
        reply.authorId !== this.sender.userId ||
        reply.authorName !== this.sender.displayName
      ) {
        this.refuse('annotation_author', path)
      }
    }
  }

  /** Judges the deletion of a live item of the document at `place`. */
  delete(item: Y.Item, place: Place): void {
    const { parent } = place
    const path = pathOf(place, place.key)
    if (parent.depth === 0) {
      const map = entryMap(item)
      const author = map?.get(AUTHOR_ID_FIELD)
      const mayDelete =
        map === null ? this.sender.access === 'write' : author === this.sender.userId
      if (!mayDelete) {
        this.refuse('annotation_not_author', path)
      }
      this.deletedHolders.add(item)
      return
    }
    const entry = parent.holders[0]
    if (entry === undefined || this.deletedHolders.has(entry.item)) {
      return
    }
    if (parent.depth === 1) {
      if (place.key === REPLIES_FIELD) {
        this.deletedHolders.add(item)
      }
      if (!entry.isNew) {
        this.changeField(place.key, kindOf(parent.root), entry.item, [undefined], path)
      }
      return
    }
    const list = parent.holders[1]
    if (list !== undefined && this.deletedHolders.has(list.item)) {
      return
    }
    const values = item.content instanceof Y.ContentAny ? item.content.getContent() : []
    if (values.some((reply) => replyAuthor(reply) !== this.sender.userId)) {
      this.refuse('annotation_not_author', path)
    }
  }

  /** Checks the entries the update created, once all their fields are known. */
  finish(): AnnotationVerdict | null {
    for (const { kind, key, fields } of this.created.values()) {
      const path = `${kind === THREADS ? 'comments' : 'suggestions'}/${key}`
      const ids = fields.get(AUTHOR_ID_FIELD) ?? []
      const names = fields.get(AUTHOR_NAME_FIELD) ?? []
      const ownName =
        ids.length > 0 &&
        names.length > 0 &&
        ids.every((value) => value === this.sender.userId) &&
        names.every((value) => value === this.sender.displayName)
      if (!ownName) {
        this.refuse('annotation_author', path)
      }
      if ((fields.get('id') ?? []).some((value) => value !== key)) {
        this.refuse('annotation_shape', path)
      }
      const deciders = fields.get(kind.decider) ?? []
      if (deciders.some((value) => value !== null && value !== this.sender.userId)) {
        this.refuse('annotation_decision', path)
      }
      const decided =
        kind === SUGGESTIONS &&
        ((fields.get('status') ?? []).some((value) => value !== 'open') ||
          deciders.some((value) => value !== null))
      if (decided) {
        this.refuse('annotation_decision', path)
      }
    }
    return this.refusal
  }

  private writeEntry(item: Y.Item, key: string | null, kind: Kind, path: string): void {
    if (key === null) {
      this.refuse('annotation_shape', path)
      return
    }
    const isMap = entryMap(item) !== null
    if (!isMap && !(item.content instanceof Y.ContentDeleted)) {
      this.refuse('annotation_shape', path)
      return
    }
    // Writing a key replaces the entry there: that is deleting it.
    const root = this.doc.share.get(kind === THREADS ? 'comments' : 'suggestions')
    const current = root?._map.get(key)
    if (current !== undefined && !current.deleted) {
      const author = entryMap(current)?.get(AUTHOR_ID_FIELD)
      if (author !== this.sender.userId) {
        this.refuse('annotation_not_author', path)
      }
    }
    if (isMap) {
      this.created.set(item, { kind, key, fields: new Map() })
    }
  }

  private writeField(
    item: Y.Item,
    key: string | null,
    kind: Kind,
    entry: Y.Item,
    isNew: boolean,
    path: string,
  ): void {
    if (key === null || !kind.fields.has(key)) {
      this.refuse('annotation_shape', path)
      return
    }
    if (key === REPLIES_FIELD) {
      const isList =
        item.content instanceof Y.ContentDeleted ||
        (item.content instanceof Y.ContentType && item.content.type instanceof Y.Array)
      if (!isList) {
        this.refuse('annotation_shape', path)
      } else if (!isNew) {
        const map = entryMap(entry)
        const current = map?.get(REPLIES_FIELD)
        const replaces = current instanceof Y.Array && current.length > 0
        if (replaces && map?.get(AUTHOR_ID_FIELD) !== this.sender.userId) {
          this.refuse('annotation_not_author', path)
        }
      }
      return
    }
    const values = plainValues(item)
    if (
      values === null ||
      values.some((value) => value !== undefined && !kind.values[key]?.(value))
    ) {
      this.refuse('annotation_shape', path)
      return
    }
    if (isNew) {
      const created = this.created.get(entry)
      const list = created?.fields.get(key)
      if (list === undefined) {
        created?.fields.set(key, [...values])
      } else {
        list.push(...values)
      }
      return
    }
    this.changeField(key, kind, entry, values, path)
  }

  /** A change of a field of an entry the document has. */
  private changeField(
    key: string | null,
    kind: Kind,
    entry: Y.Item,
    values: readonly unknown[],
    path: string,
  ): void {
    const map = entryMap(entry)
    if (key === null || map === null || !kind.fields.has(key)) {
      this.refuse('annotation_shape', path)
      return
    }
    const isAuthor = map.get(AUTHOR_ID_FIELD) === this.sender.userId
    switch (kind.roles[key]) {
      case 'identity':
        this.refuse('annotation_identity', path)
        return
      case 'content':
      case 'replies':
        if (!isAuthor) {
          this.refuse('annotation_not_author', path)
        }
        return
      case 'decision': {
        const allowed =
          kind === THREADS
            ? mayResolve(this.sender.access, isAuthor)
            : mayDecide(this.sender.access)
        const named =
          key !== kind.decider ||
          values.every(
            (value) => value === undefined || value === null || value === this.sender.userId,
          )
        if (!allowed || !named) {
          this.refuse('annotation_decision', path)
        }
        return
      }
      default:
        this.refuse('annotation_shape', path)
    }
  }
}
