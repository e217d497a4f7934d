/**
 * The ProseMirror schema of a 公文 body (the editor's own, from its extension list) and the body of
 * a room read as a ProseMirror document, for the exports and the print view, which work without an
 * editor.
 */
import { getSchema } from '@tiptap/core'
import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import { gongwenSchemaExtensions } from '../pageview/schemaExtensions'

let schema: Schema | null = null

/** @returns the body schema (built once). */
export function bodySchema(): Schema {
  schema ??= getSchema(gongwenSchemaExtensions())
  return schema
}

/** @returns the room's `body` fragment as a ProseMirror document of the body schema. */
export function bodyFromFragment(fragment: Y.XmlFragment): ProseMirrorNode {
  return yXmlFragmentToProseMirrorRootNode(fragment, bodySchema())
}
