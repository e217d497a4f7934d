/**
 * Splits a selection of the editor's document into runs of plain text: each run lies inside one
 * textblock and between inline nodes such as line breaks. In the Y body each run is one stretch of
 * one Y.XmlText, which is what a suggestion can be anchored to and applied on.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/** A stretch of text between two ProseMirror positions. */
export interface TextRun {
  readonly from: number
  readonly to: number
  readonly text: string
}

/** @returns the non-empty text runs of `doc` between `from` and `to`, in document order */
export function textRuns(doc: ProseMirrorNode, from: number, to: number): TextRun[] {
  const runs: TextRun[] = []
  let current: { from: number; to: number; text: string } | null = null
  const flush = (): void => {
    if (current !== null && current.to > current.from) {
      runs.push(current)
    }
    current = null
  }
  doc.nodesBetween(from, to, (node, pos) => {
    if (node.isTextblock) {
      flush()
      return true
    }
    if (node.isText) {
      const start = Math.max(from, pos)
      const end = Math.min(to, pos + node.nodeSize)
      if (end <= start) {
        return false
      }
      const text = (node.text ?? '').slice(start - pos, end - pos)
      if (current !== null && current.to === start) {
        current.to = end
        current.text += text
      } else {
        flush()
        current = { from: start, to: end, text }
      }
      return false
    }
    if (node.isInline) {
      flush()
    }
    return true
  })
  flush()
  return runs
}

/** @returns whether `pos` is a place inside a textblock where text can be inserted */
export function isTextPosition(doc: ProseMirrorNode, pos: number): boolean {
  if (pos < 0 || pos > doc.content.size) {
    return false
  }
  return doc.resolve(pos).parent.isTextblock
}
