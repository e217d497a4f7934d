/**
 * Positions in the editor's document for things the checker and templates talk about: the n-th
 * text block (in the order `readBodyBlocks` numbers them) and an offset in its text.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/** @returns the editor range of `length` characters at `offset` in block `index`, or null */
export function blockRange(
  doc: ProseMirrorNode,
  index: number,
  offset: number,
  length: number,
): { from: number; to: number } | null {
  let seen = 0
  let found: { from: number; to: number } | null = null
  doc.descendants((node, pos) => {
    if (found !== null) {
      return false
    }
    if (!node.isTextblock) {
      return true
    }
    if (seen++ === index) {
      const start = pos + 1
      const end = pos + 1 + node.content.size
      const from = Math.min(end, start + Math.max(0, offset))
      found = { from, to: Math.min(end, from + Math.max(0, length)) }
    }
    return false
  })
  return found
}

/** @returns whether the body holds no text at all (only empty paragraphs) */
export function isBlankBody(doc: ProseMirrorNode): boolean {
  let blank = true
  doc.descendants((node) => {
    if (!blank) {
      return false
    }
    if (node.isText || (node.isLeaf && !node.isTextblock && node.type.name !== 'hardBreak')) {
      blank = false
    }
    return true
  })
  return blank
}
