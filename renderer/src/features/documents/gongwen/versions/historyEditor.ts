/**
 * 留痕: a read-only editor that shows what changed between two states of a document body, each
 * insertion and deletion in the colour of the person who made it.
 *
 * It uses y-tiptap's snapshot rendering: the sync plugin is bound to a scratch `gc:false` Y.Doc and
 * given a Y.PermanentUserData built from GET /authors (who wrote with which client ids, who deleted
 * what); `renderSnapshot(newer, older)` with two V2 states then renders the union of both, marking
 * text and blocks as added or removed by their authors. The live document is never touched.
 *
 * @example
 *   const editor = createHistoryEditor(authors)
 *   await renderComparison(editor, olderState, newerState)
 *   summarizeChanges(editor.state.doc) // [{ user, added, removed }]
 */
import { Extension, Mark, mergeAttributes } from '@tiptap/core'
import { Editor } from '@tiptap/vue-3'
import Collaboration from '@tiptap/extension-collaboration'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type { Node as PmNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import type { DocumentAuthor } from '../../../../../../shared/api'
import { gongwenSchemaExtensions } from '../pageview/schemaExtensions'
import { fromBase64 } from './versionsApi'

/** What y-prosemirror puts on a changed text run or block. */
export interface YChange {
  /** The author's user id; null when no author is known for the change (e.g. a template seed). */
  readonly user: string | null
  readonly type: 'added' | 'removed'
  readonly color: { readonly light: string; readonly dark: string } | null
}

/** @returns whether a value is a YChange attribute. */
export function isYChange(value: unknown): value is YChange {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const type: unknown = Reflect.get(value, 'type')
  return type === 'added' || type === 'removed'
}

/** The inline style of a change in an author's colour: underlined when added, struck out when removed. */
export function changeStyle(change: YChange): string {
  const dark = change.color?.dark ?? '#606266'
  const light = change.color?.light ?? 'rgba(96, 98, 102, 0.15)'
  return change.type === 'added'
    ? `color: ${dark}; background: ${light}; text-decoration: underline; text-decoration-color: ${dark}`
    : `color: ${dark}; text-decoration: line-through; text-decoration-color: ${dark}; opacity: 0.85`
}

/** The mark y-prosemirror gives changed text (its name and attributes are fixed by the binding). */
const YChangeMark = Mark.create({
  name: 'ychange',
  inclusive: false,
  excludes: '',
  addAttributes() {
    return {
      user: { default: null, rendered: false },
      type: { default: null, rendered: false },
      color: { default: null, rendered: false },
    }
  },
  parseHTML() {
    return [{ tag: 'ychange' }]
  },
  renderHTML({ mark, HTMLAttributes }) {
    const change: unknown = {
      user: mark.attrs.user,
      type: mark.attrs.type,
      color: mark.attrs.color,
    }
    if (!isYChange(change)) {
      return ['span', 0]
    }
    return [
      'ychange',
      mergeAttributes(HTMLAttributes, {
        class: `ychange ychange-${change.type}`,
        'data-user': change.user ?? '',
        style: changeStyle(change),
      }),
      0,
    ]
  },
})

const BLOCK_TYPES = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'table',
  'tableRow',
  'codeBlock',
  'horizontalRule',
]

/** Lets blocks carry the `ychange` attribute y-prosemirror sets on added or removed elements. */
const YChangeBlocks = Extension.create({
  name: 'ychangeBlocks',
  addGlobalAttributes() {
    return [
      {
        types: BLOCK_TYPES,
        attributes: {
          ychange: {
            default: null,
            rendered: true,
            renderHTML: (attributes: Record<string, unknown>) => {
              const change: unknown = attributes.ychange
              if (!isYChange(change)) {
                return {}
              }
              const dark = change.color?.dark ?? '#606266'
              return {
                class: `ychange-block ychange-block-${change.type}`,
                'data-user': change.user ?? '',
                style: `box-shadow: inset 3px 0 0 ${dark}`,
              }
            },
          },
        },
      },
    ]
  },
})

/** @returns a PermanentUserData filled from GET /authors (the shape y-prosemirror reads). */
export function permanentUserData(authors: readonly DocumentAuthor[]): Y.PermanentUserData {
  const doc = new Y.Doc()
  const users = doc.getMap<Y.Map<unknown>>('users')
  for (const author of authors) {
    const user = new Y.Map<unknown>()
    user.set('ids', Y.Array.from([...author.clientIds]))
    user.set('ds', Y.Array.from([fromBase64(author.deletions)]))
    users.set(author.userId, user)
  }
  return new Y.PermanentUserData(doc, users)
}

/** @returns y-prosemirror's colour table: each author's own colour, with a light tint. */
export function colorMapping(
  authors: readonly DocumentAuthor[],
): Map<string, { light: string; dark: string }> {
  return new Map(authors.map((a) => [a.userId, { light: `${a.color}26`, dark: a.color }]))
}

/** Creates the read-only 留痕 editor (not yet showing anything). Destroy it when done. */
export function createHistoryEditor(authors: readonly DocumentAuthor[]): Editor {
  const scratch = new Y.Doc({ gc: false })
  const editor = new Editor({
    editable: false,
    extensions: [
      ...gongwenSchemaExtensions(),
      YChangeMark,
      YChangeBlocks,
      Collaboration.configure({
        document: scratch,
        field: 'body',
        ySyncOptions: {
          permanentUserData: permanentUserData(authors),
          colorMapping: colorMapping(authors),
          colors: [{ light: 'rgba(96, 98, 102, 0.15)', dark: '#606266' }],
        },
      }),
    ],
    editorProps: { attributes: { 'aria-readonly': 'true', role: 'document' } },
  })
  editor.on('destroy', () => scratch.destroy())
  return editor
}

/**
 * Shows the changes from `older` to `newer` (both V2 states of the same document, `older` an
 * earlier moment of `newer`'s history). Resolves once the editor shows them.
 */
export async function renderComparison(
  editor: Editor,
  older: Uint8Array,
  newer: Uint8Array,
): Promise<void> {
  const state: unknown = ySyncPluginKey.getState(editor.state)
  const binding: unknown =
    typeof state === 'object' && state !== null ? Reflect.get(state, 'binding') : null
  const render: unknown =
    typeof binding === 'object' && binding !== null ? Reflect.get(binding, 'renderSnapshot') : null
  if (typeof render !== 'function') {
    throw new Error('the editor has no Yjs sync binding')
  }
  const rendered = new Promise<void>((resolve) => {
    const onUpdate = (): void => {
      editor.off('update', onUpdate)
      resolve()
    }
    editor.on('update', onUpdate)
    // An identical pair renders an unchanged document, which emits no update.
    setTimeout(() => {
      editor.off('update', onUpdate)
      resolve()
    }, 1500)
  })
  // y-tiptap accepts two V2 updates and builds a gc:false history document from them itself.
  Reflect.apply(render, binding, [newer, older])
  await rendered
}

/** How much one author changed in the shown comparison. */
export interface AuthorChanges {
  readonly user: string | null
  /** Characters inserted. */
  readonly added: number
  /** Characters deleted. */
  readonly removed: number
}

/** @returns the inserted and deleted characters per author in a rendered comparison. */
export function summarizeChanges(doc: PmNode): AuthorChanges[] {
  const totals = new Map<string | null, { added: number; removed: number }>()
  const count = (change: YChange, size: number): void => {
    const entry = totals.get(change.user) ?? { added: 0, removed: 0 }
    if (change.type === 'added') {
      entry.added += size
    } else {
      entry.removed += size
    }
    totals.set(change.user, entry)
  }
  doc.descendants((node) => {
    if (!node.isText) {
      return true
    }
    for (const mark of node.marks) {
      const change: unknown = mark.type.name === 'ychange' ? { ...mark.attrs } : null
      if (isYChange(change)) {
        count(change, [...(node.text ?? '')].length)
      }
    }
    return false
  })
  return [...totals].map(([user, t]) => ({ user, ...t }))
}
