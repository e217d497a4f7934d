/**
 * The 公文 parts of an open document room for the editor view: comment threads and suggestions
 * with their anchors resolved against the current body, the `meta` map, and the actions on them.
 * Recomputed after every Y transaction (coalesced in a microtask) and pushed to the editor's
 * decorations. The Y.Doc stays outside Vue's reactivity; only plain snapshots are exposed.
 */
import { ref, shallowRef, watch } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import type * as Y from 'yjs'
import type { Editor } from '@tiptap/vue-3'
import { getSchema } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import { createPositionMapper } from '../anchors/positions'
import type { PositionMapper, StoredPosition } from '../anchors/positions'
import { isTextPosition, textRuns } from '../anchors/textRuns'
import {
  addThread,
  commentsRoot,
  readThreads,
  replyToThread,
  setThreadResolved,
} from '../comments/threads'
import type { Author, CommentThread } from '../comments/threads'
import {
  acceptSuggestion,
  addSuggestion,
  isApplicable,
  readSuggestions,
  rejectSuggestion,
  suggestionsRoot,
} from '../suggestions/suggestionModel'
import type { DecisionResult, Suggestion } from '../suggestions/suggestionModel'
import { createTypedSuggestions } from '../suggestions/typedSuggestions'
import type { TypedSuggestions } from '../suggestions/typedSuggestions'
import { caretColor } from '../../../../editor/collabEditor'
import { BODY_FIELD } from '../../../../collab/CollabSession'
import { META_ROOT } from '../../../../../../shared/gongwen/yBody'
import { gongwenSchemaExtensions } from './schemaExtensions'
import { refreshAnnotations, refreshAnnotationsIfChanged } from './annotationsExtension'
import type { AnnotationSpec } from './annotationsExtension'

/** What the current user may do in the body. */
export type RoomMode =
  /** Owner or editor: edits the body, decides suggestions. */
  | 'edit'
  /** Commenter: comments and suggests. */
  | 'suggest'
  /** Reader: looks. */
  | 'read'

/** A range of the body in editor positions. */
export interface BodyRange {
  readonly from: number
  readonly to: number
}

/** A thread with where its text is now (null when the text was deleted). */
export interface PlacedThread extends CommentThread {
  readonly range: BodyRange | null
}

/** A suggestion with where its text is now and whether it still applies. */
export interface PlacedSuggestion extends Suggestion {
  readonly range: BodyRange | null
  readonly applicable: boolean
}

/** Which annotation is selected. */
export interface ActiveAnnotation {
  readonly kind: 'comment' | 'suggestion'
  readonly id: string
}

let schema: Schema | null = null
/** @returns the body schema (built once; the same extensions as the editor's). */
export function bodySchema(): Schema {
  schema ??= getSchema(gongwenSchemaExtensions())
  return schema
}

const isLeaf = (name: string): boolean => bodySchema().nodes[name]?.isLeaf ?? false

function placeRange(
  mapper: PositionMapper,
  from: StoredPosition | null,
  to: StoredPosition | null,
): BodyRange | null {
  if (from === null || to === null) {
    return null
  }
  const start = mapper.toAbsolute(from)
  const end = mapper.toAbsolute(to)
  return start === null || end === null ? null : { from: start, to: Math.max(start, end) }
}

/** The room handle. */
export interface GongwenRoom {
  readonly threads: ShallowRef<readonly PlacedThread[]>
  readonly suggestions: ShallowRef<readonly PlacedSuggestion[]>
  readonly meta: ShallowRef<Readonly<Record<string, unknown>>>
  readonly active: Ref<ActiveAnnotation | null>
  /** Bumped after every change of the room (for the checker's debounce). */
  readonly version: Ref<number>
  attach(editor: Editor): void
  /** Selects an annotation (highlighted in the body and the panel). */
  activate(annotation: ActiveAnnotation | null): void
  /** The decorations the editor draws now. */
  specs(): AnnotationSpec[]
  /** 修订 by typing: keys and input turned into suggestions of the user. */
  readonly typing: TypedSuggestions
  setPreview(preview: { from: number; to: number; text: string } | null): void
  addComment(range: BodyRange, text: string, mentions: readonly string[]): string | null
  reply(threadId: string, text: string, mentions: readonly string[]): boolean
  setResolved(threadId: string, resolved: boolean): boolean
  /** @returns how many suggestions were recorded (0 when the range holds no text) */
  proposeDelete(range: BodyRange): number
  /** @returns how many suggestions were recorded (0 when text cannot go there) */
  proposeText(range: BodyRange, text: string): number
  accept(id: string): DecisionResult
  reject(id: string): DecisionResult
  /** @returns how many were accepted and how many could not be (stale) */
  acceptAll(): { accepted: number; stale: number }
  rejectAll(): number
  /** Stops following the document. */
  dispose(): void
}

/** Creates the room handle for an open document; `dispose` it before the document. */
export function createGongwenRoom(doc: Y.Doc, user: Author): GongwenRoom {
  const threads = shallowRef<readonly PlacedThread[]>([])
  const suggestions = shallowRef<readonly PlacedSuggestion[]>([])
  const meta = shallowRef<Readonly<Record<string, unknown>>>({})
  const active = ref<ActiveAnnotation | null>(null)
  const version = ref(0)
  const body = doc.getXmlFragment(BODY_FIELD)
  let editor: Editor | null = null
  let preview: { from: number; to: number; text: string } | null = null
  let scheduled = false

  const mapper = (): PositionMapper => createPositionMapper(body, isLeaf)

  const metaMap = doc.getMap<unknown>(META_ROOT)
  const commentsMap = commentsRoot(doc)
  const suggestionsMap = suggestionsRoot(doc)
  /** What changed since the last recompute. */
  const dirty = { meta: false, annotations: false }

  function recomputeAnnotations(): void {
    const positions = mapper()
    threads.value = readThreads(doc).map((thread) => ({
      ...thread,
      range: placeRange(positions, thread.from, thread.to),
    }))
    suggestions.value = readSuggestions(doc).map((suggestion) => ({
      ...suggestion,
      range: placeRange(positions, suggestion.from, suggestion.to),
      applicable: isApplicable(suggestion, positions),
    }))
  }

  function specs(): AnnotationSpec[] {
    const specs: AnnotationSpec[] = []
    const current = active.value
    for (const thread of threads.value) {
      if (!thread.resolved && thread.range !== null) {
        specs.push({
          kind: 'comment',
          id: thread.id,
          ...thread.range,
          active: current?.kind === 'comment' && current.id === thread.id,
        })
      }
    }
    for (const suggestion of suggestions.value) {
      if (suggestion.status === 'open' && suggestion.range !== null) {
        specs.push({
          kind: 'suggestion',
          id: suggestion.id,
          type: suggestion.kind,
          ...suggestion.range,
          text: suggestion.text,
          authorName: suggestion.authorName,
          color: caretColor(suggestion.authorId),
          active: current?.kind === 'suggestion' && current.id === suggestion.id,
        })
      }
    }
    if (preview !== null) {
      specs.push({ kind: 'preview', ...preview })
    }
    return specs
  }

  function recomputeMeta(): void {
    meta.value = metaMap.toJSON()
  }

  function redraw(): void {
    if (editor !== null && !editor.isDestroyed) {
      refreshAnnotations(editor.view)
    }
  }

  /**
   * Follows the document: 批注 and 修订 are placed again when they or the body changed (the body
   * only matters while there are some), `meta` is read again when it changed, and the editor
   * redraws the annotations only if they now draw something else. A keystroke in a document
   * without annotations costs a counter increment here.
   */
  function schedule(transaction: Y.Transaction): void {
    // The editor binding runs a (usually empty) transaction after every editor update, including
    // the refresh dispatched below: reacting to empty ones would loop forever.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Y.Transaction keys its sets by AbstractType<YEvent<any>>
    const touched = (type: Y.AbstractType<any>): boolean =>
      transaction.changed.has(type) || transaction.changedParentTypes.has(type)
    const changed = transaction.changed.size > 0 || transaction.deleteSet.clients.size > 0
    if (!changed) {
      return
    }
    dirty.meta ||= touched(metaMap)
    dirty.annotations ||=
      touched(commentsMap) ||
      touched(suggestionsMap) ||
      (touched(body) && (threads.value.length > 0 || suggestions.value.length > 0))
    if (scheduled) {
      return
    }
    scheduled = true
    // After the transaction (and the editor's own dispatch that caused it) has finished.
    queueMicrotask(() => {
      scheduled = false
      if (dirty.meta) {
        dirty.meta = false
        recomputeMeta()
      }
      if (dirty.annotations) {
        dirty.annotations = false
        recomputeAnnotations()
        if (editor !== null && !editor.isDestroyed) {
          refreshAnnotationsIfChanged(editor.view, specs())
        }
      }
      version.value++
    })
  }

  doc.on('afterTransaction', schedule)
  const stopWatch = watch(active, redraw)
  recomputeAnnotations()
  recomputeMeta()

  function stored(pos: number, assoc: number): StoredPosition | null {
    return mapper().toStored(pos, assoc)
  }

  function editorDoc() {
    return editor !== null && !editor.isDestroyed ? editor.state.doc : null
  }

  return {
    threads,
    suggestions,
    meta,
    active,
    version,
    typing: createTypedSuggestions({ doc, user, mapper }),
    activate(annotation) {
      active.value = annotation
    },
    attach(next) {
      editor = next
      redraw()
    },
    specs,
    setPreview(next) {
      preview = next
      redraw()
    },
    addComment(range, text, mentions) {
      const pm = editorDoc()
      const from = stored(range.from, 0)
      const to = stored(range.to, -1)
      if (pm === null || from === null || to === null || range.to <= range.from) {
        return null
      }
      const quote = pm.textBetween(range.from, range.to, ' ').slice(0, 200)
      const id = addThread(doc, { from, to, quote, author: user, text, mentions })
      active.value = { kind: 'comment', id }
      return id
    },
    reply: (threadId, text, mentions) =>
      replyToThread(doc, threadId, { author: user, text, mentions }),
    setResolved: (threadId, resolved) => setThreadResolved(doc, threadId, resolved, user.id),
    proposeDelete(range) {
      const pm = editorDoc()
      if (pm === null) {
        return 0
      }
      let count = 0
      doc.transact(() => {
        for (const run of textRuns(pm, range.from, range.to)) {
          const from = stored(run.from, 0)
          const to = stored(run.to, -1)
          if (from !== null && to !== null) {
            addSuggestion(doc, {
              kind: 'delete',
              from,
              to,
              text: '',
              quote: run.text,
              author: user,
            })
            count++
          }
        }
      })
      return count
    },
    proposeText(range, text) {
      const pm = editorDoc()
      if (pm === null || text === '') {
        return 0
      }
      if (range.from === range.to) {
        const at = stored(range.from, -1)
        if (!isTextPosition(pm, range.from) || at === null) {
          return 0
        }
        addSuggestion(doc, { kind: 'insert', from: at, to: at, text, quote: '', author: user })
        return 1
      }
      const runs = textRuns(pm, range.from, range.to)
      let count = 0
      doc.transact(() => {
        runs.forEach((run, index) => {
          const from = stored(run.from, 0)
          const to = stored(run.to, -1)
          if (from === null || to === null) {
            return
          }
          const kind = index === 0 ? 'replace' : 'delete'
          addSuggestion(doc, {
            kind,
            from,
            to,
            text: kind === 'replace' ? text : '',
            quote: run.text,
            author: user,
          })
          count++
        })
      })
      return count
    },
    accept: (id) => acceptSuggestion(doc, id, mapper(), user.id),
    reject: (id) => rejectSuggestion(doc, id, user.id),
    acceptAll() {
      let accepted = 0
      let stale = 0
      for (const suggestion of readSuggestions(doc)) {
        if (suggestion.status !== 'open') {
          continue
        }
        // A fresh mapper each time: every accept changes the body under the next one.
        const result = acceptSuggestion(doc, suggestion.id, mapper(), user.id)
        if (result === 'ok') {
          accepted++
        } else if (result === 'stale') {
          stale++
        }
      }
      return { accepted, stale }
    },
    dispose() {
      doc.off('afterTransaction', schedule)
      stopWatch()
      editor = null
    },
    rejectAll() {
      let rejected = 0
      doc.transact(() => {
        for (const suggestion of readSuggestions(doc)) {
          if (
            suggestion.status === 'open' &&
            rejectSuggestion(doc, suggestion.id, user.id) === 'ok'
          ) {
            rejected++
          }
        }
      })
      return rejected
    },
  }
}
