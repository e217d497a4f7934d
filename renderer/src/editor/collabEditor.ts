/**
 * A TipTap editor bound to a session's Y.Doc (`body` fragment), showing colleagues' carets with
 * their names, with this layer's patches to the Yjs binding (unchanged blocks kept, scrolling
 * deferred, calm reactivity). The schema is the caller's: a feature passes its content extensions
 * in (the 公文 body: features/documents/gongwen/pageview/bodyEditor.ts).
 */
import { Editor } from '@tiptap/vue-3'
import type { Extensions } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { BODY_FIELD } from '../collab/CollabSession'
import type { CollabSession } from '../collab/CollabSession'
import { calmReactivity } from './calmReactivity'
import { deferScrollToSelection } from './deferredScroll'
import { keepUnchangedBlocks } from './keepUnchangedBlocks'
import { remoteCaretAwareness } from './remoteCaretAwareness'

const CARET_COLORS = [
  '#c0392b',
  '#2471a3',
  '#1e8449',
  '#b9770e',
  '#7d3c98',
  '#117a65',
  '#a04000',
  '#2e4053',
]

/** @returns a stable caret colour for a user (the relay rewrites presence with its own anyway). */
export function caretColor(userId: string): string {
  let hash = 0
  for (let i = 0; i < userId.length; i++) {
    hash = (hash * 31 + userId.charCodeAt(i)) >>> 0
  }
  return CARET_COLORS[hash % CARET_COLORS.length] ?? '#b4232a'
}

/** Options of the editor. */
export interface CollabEditorOptions {
  readonly session: CollabSession
  readonly user: { readonly id: string; readonly name: string }
  readonly editable: boolean
  readonly label: string
  /** The content (schema) extensions: nodes and marks, no collaboration. */
  readonly content: Extensions
  /** Extensions added after the content and collaboration ones (批注, 修订). */
  readonly extensions?: Extensions
  /**
   * Whether the body takes keyboard focus although not editable (reviewers select text and
   * propose changes with the keyboard).
   */
  readonly focusable?: boolean
}

/** Creates the editor. The caller destroys it before the session. */
export function createCollabEditor(options: CollabEditorOptions): Editor {
  const { session, user } = options
  const editor = new Editor({
    editable: options.editable,
    extensions: [
      ...options.content,
      Collaboration.configure({ document: session.doc, field: BODY_FIELD }),
      CollaborationCaret.configure({
        provider: { awareness: remoteCaretAwareness(session.provider.awareness) },
        user: { name: user.name, color: caretColor(user.id) },
      }),
      ...(options.extensions ?? []),
    ],
    editorProps: {
      handleScrollToSelection: deferScrollToSelection(),
      attributes: {
        'aria-label': options.label,
        'aria-multiline': 'true',
        role: 'textbox',
        'aria-readonly': String(!options.editable),
        spellcheck: 'false',
        ...(options.focusable === true && !options.editable ? { tabindex: '0' } : {}),
      },
    },
  })
  keepUnchangedBlocks(editor)
  calmReactivity(editor)
  return editor
}
