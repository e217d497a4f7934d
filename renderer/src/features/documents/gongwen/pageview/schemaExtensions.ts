/**
 * The node and mark extensions of a 公文 body: paragraphs, the four GB/T 9704 heading levels
 * (一、（一）1.（1） as heading levels 1–4), lists and tables. The editor and the tests build their
 * schema from this one list, so positions computed in tests are the editor's positions.
 */
import type { Extensions } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import { TableKit } from '@tiptap/extension-table'

/** Heading levels of a 公文 body: 一、 （一） 1. （1）. */
export const GONGWEN_HEADING_LEVELS = [1, 2, 3, 4] as const

/** A heading level of a 公文 body. */
export type GongwenHeadingLevel = (typeof GONGWEN_HEADING_LEVELS)[number]

/** @returns the content extensions (no collaboration, no UI plugins) */
export function gongwenSchemaExtensions(): Extensions {
  return [
    // Collaboration brings its own Yjs-aware undo/redo; StarterKit's would fight it.
    StarterKit.configure({
      undoRedo: false,
      heading: { levels: [...GONGWEN_HEADING_LEVELS] },
      // Links stay in the schema (imported documents may hold some), but typing does not turn
      // text into links: autolink tokenises the changed text on every keystroke.
      link: { autolink: false },
    }),
    TableKit.configure({ table: { resizable: false } }),
  ]
}
