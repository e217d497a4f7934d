/**
 * The TipTap editor of a 公文 body: the editor layer's collaborative editor with the 公文 schema
 * the page view's off-screen blocks and page gaps.
 */
import type { Editor } from '@tiptap/vue-3'
import { createCollabEditor } from '../../../../editor/collabEditor'
import type { CollabEditorOptions } from '../../../../editor/collabEditor'
import { OffscreenBlocks } from './offscreenBlocks'
import { PageGaps } from './pageGaps'
import { gongwenSchemaExtensions } from './schemaExtensions'

/** Options of the body editor (the schema is the 公文 one). */
export type BodyEditorOptions = Omit<CollabEditorOptions, 'content'>

/** Creates the editor. The caller destroys it before the session. */
export function createBodyEditor(options: BodyEditorOptions): Editor {
  return createCollabEditor({
    ...options,
    content: gongwenSchemaExtensions(),
    extensions: [OffscreenBlocks, PageGaps, ...(options.extensions ?? [])],
  })
}
