/**
 * Shows 批注 and 修订 over the body as ProseMirror decorations: commented text highlighted,
 * proposed insertions as underlined coloured text with the author's name, proposed deletions struck
 * through. The decorations are rebuilt from the room (whose anchors are Yjs relative positions)
 * whenever the room changes, and mapped through local edits in between.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import type { EditorView } from '@tiptap/pm/view'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { SuggestionKind } from '../suggestions/suggestionModel'

/** One thing to draw, in editor positions. */
export type AnnotationSpec =
  | {
      readonly kind: 'comment'
      readonly id: string
      readonly from: number
      readonly to: number
      readonly active: boolean
    }
  | {
      readonly kind: 'suggestion'
      readonly id: string
      readonly type: SuggestionKind
      readonly from: number
      readonly to: number
      readonly text: string
      readonly authorName: string
      readonly color: string
      readonly active: boolean
    }
  | {
      /** What the reviewer is typing in the suggestion box, before it is proposed. */
      readonly kind: 'preview'
      readonly from: number
      readonly to: number
      readonly text: string
    }

/** Options of the extension. */
export interface AnnotationsOptions {
  /** The annotations to draw now. */
  readonly source: () => readonly AnnotationSpec[]
  /** Told when the user clicks an annotation. */
  readonly onActivate: (kind: 'comment' | 'suggestion', id: string) => void
}

/** The plugin key; a transaction with meta `'refresh'` rebuilds the decorations. */
export const annotationsKey = new PluginKey<DecorationSet>('gongwenAnnotations')

const insertWidget =
  (className: string, text: string, title: string, color: string, id: string) =>
  (): HTMLElement => {
    const span = document.createElement('span')
    span.className = className
    span.textContent = text
    span.title = title
    span.style.setProperty('--gw-author', color)
    if (id !== '') {
      span.dataset.suggestionId = id
    }
    return span
  }

/** An inline decoration whose spec names what it draws (see `signature`). */
function inline(from: number, to: number, attrs: Record<string, string>): Decoration {
  return Decoration.inline(from, to, attrs, { signature: JSON.stringify(attrs) })
}

/** @returns what a decoration set draws, where: equal strings draw the same */
function signature(set: DecorationSet): string {
  return set
    .find()
    .map((d) => {
      const spec: { key?: unknown; signature?: unknown } = d.spec
      return `${d.from}:${d.to}:${String(spec.key ?? spec.signature)}`
    })
    .join('|')
}

function build(doc: ProseMirrorNode, specs: readonly AnnotationSpec[]): DecorationSet {
  const size = doc.content.size
  const decorations: Decoration[] = []
  const inRange = (pos: number): boolean => pos >= 0 && pos <= size
  for (const spec of specs) {
    if (!inRange(spec.from) || !inRange(spec.to) || spec.to < spec.from) {
      continue
    }
    if (spec.kind === 'comment') {
      if (spec.to > spec.from) {
        decorations.push(
          inline(spec.from, spec.to, {
            class: spec.active ? 'gw-comment gw-comment--active' : 'gw-comment',
            'data-comment-id': spec.id,
          }),
        )
      }
      continue
    }
    if (spec.kind === 'preview') {
      if (spec.to > spec.from) {
        decorations.push(inline(spec.from, spec.to, { class: 'gw-suggest-delete' }))
      }
      decorations.push(
        Decoration.widget(
          spec.to,
          insertWidget('gw-suggest-insert gw-suggest-preview', spec.text || '\u200b', '', '', ''),
          { side: -1, key: `preview:${spec.text}`, ignoreSelection: true },
        ),
      )
      continue
    }
    const label = spec.active ? ' gw-suggest--active' : ''
    if (spec.type !== 'insert' && spec.to > spec.from) {
      decorations.push(
        inline(spec.from, spec.to, {
          class: `gw-suggest-delete${label}`,
          title: `${spec.authorName} 建议删除`,
          style: `--gw-author: ${spec.color}`,
          'data-suggestion-id': spec.id,
        }),
      )
    }
    if (spec.type !== 'delete') {
      const title = `${spec.authorName} 建议${spec.type === 'insert' ? '插入' : '改为'}`
      decorations.push(
        Decoration.widget(
          spec.to,
          insertWidget(`gw-suggest-insert${label}`, spec.text, title, spec.color, spec.id),
          // Before a caret at the same place: the suggester's caret stays after what they typed.
          { side: -1, key: `suggestion:${spec.id}:${spec.text}:${label}`, ignoreSelection: true },
        ),
      )
    }
  }
  return DecorationSet.create(doc, decorations)
}

/** Asks the editor to rebuild the annotations from the room (call after the room changed). */
export function refreshAnnotations(view: EditorView): void {
  const tr: Transaction = view.state.tr.setMeta(annotationsKey, 'refresh')
  tr.setMeta('addToHistory', false)
  view.dispatch(tr)
}

/**
 * Rebuilds the decorations only if `specs` draw something else than the editor shows now (the
 * shown ones were mapped through the edits since the last rebuild). Typing usually moves the
 * annotations exactly as the mapping did, so most keystrokes need no second transaction.
 */
export function refreshAnnotationsIfChanged(
  view: EditorView,
  specs: readonly AnnotationSpec[],
): void {
  const shown = annotationsKey.getState(view.state) ?? DecorationSet.empty
  if (signature(shown) !== signature(build(view.state.doc, specs))) {
    refreshAnnotations(view)
  }
}

/** The extension. */
export const Annotations = Extension.create<AnnotationsOptions>({
  name: 'gongwenAnnotations',

  addOptions() {
    return { source: () => [], onActivate: () => undefined }
  },

  addProseMirrorPlugins() {
    const options = this.options
    return [
      new Plugin<DecorationSet>({
        key: annotationsKey,
        state: {
          init: (_config, state) => build(state.doc, options.source()),
          apply: (tr, previous, _old, state) =>
            tr.getMeta(annotationsKey) === 'refresh'
              ? build(state.doc, options.source())
              : previous.map(tr.mapping, tr.doc),
        },
        props: {
          decorations: (state) => annotationsKey.getState(state) ?? DecorationSet.empty,
          handleDOMEvents: {
            click(_view, event) {
              const target = event.target
              if (!(target instanceof Element)) {
                return false
              }
              const suggestion = target.closest('[data-suggestion-id]')
              const suggestionId = suggestion?.getAttribute('data-suggestion-id')
              if (suggestionId) {
                options.onActivate('suggestion', suggestionId)
                return false
              }
              const comment = target.closest('[data-comment-id]')
              const commentId = comment?.getAttribute('data-comment-id')
              if (commentId) {
                options.onActivate('comment', commentId)
              }
              return false
            },
          },
        },
      }),
    ]
  },
})
