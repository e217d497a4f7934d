/**
 * Turns body changes the relay refused (a commenter's edits of the body itself) into 修订
 * suggestions on the document as the relay has it: the text blocks of both are aligned (longest
 * common subsequence), and each changed, added or removed block becomes a replace, insert or
 * delete suggestion in the commenter's own name.
 *
 * @example
 *   const changes = blockChanges(textBlocks(current), textBlocks(bodyFromFragment(refused)))
 *   const count = proposeChanges(room, current, changes)
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { blockRange } from '../pageview/bodyLocations'
import type { GongwenRoom } from '../pageview/gongwenRoom'

/** A change of the body from the current blocks to the refused ones. */
export type BlockChange =
  /** Current block `index` reads `text` in the refused body. */
  | { readonly kind: 'replace'; readonly index: number; readonly text: string }
  /** The refused body has a block `text` after current block `after` (-1: before the first). */
  | { readonly kind: 'insert'; readonly after: number; readonly text: string }
  /** The refused body lacks current block `index`. */
  | { readonly kind: 'delete'; readonly index: number }

/** Aligning more blocks than this pairwise would take too long; the middle is compared in order. */
const MAX_ALIGNED_CELLS = 4_000_000

/** @returns the text of each text block of a ProseMirror body, in order (as blockRange counts them). */
export function textBlocks(doc: ProseMirrorNode): string[] {
  const blocks: string[] = []
  doc.descendants((node) => {
    if (node.isTextblock) {
      blocks.push(node.textContent)
      return false
    }
    return true
  })
  return blocks
}

/** @returns index pairs of a longest common subsequence of `a` and `b`. */
function commonBlocks(a: readonly string[], b: readonly string[]): [number, number][] {
  if (a.length * b.length > MAX_ALIGNED_CELLS) {
    const pairs: [number, number][] = []
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] === b[i]) {
        pairs.push([i, i])
      }
    }
    return pairs
  }
  const width = b.length + 1
  const table = new Uint32Array((a.length + 1) * width)
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? (table[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0)
    }
  }
  const pairs: [number, number][] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      pairs.push([i++, j++])
    } else if ((table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0)) {
      i++
    } else {
      j++
    }
  }
  return pairs
}

/** @returns the changes that turn the current blocks into the refused ones. */
export function blockChanges(
  current: readonly string[],
  refused: readonly string[],
): BlockChange[] {
  const changes: BlockChange[] = []
  let i = 0
  let j = 0
  for (const [ci, rj] of [...commonBlocks(current, refused), [current.length, refused.length]]) {
    // Between two common blocks: pair removed and added blocks as replacements, then the rest.
    const removed: number[] = []
    for (; i < (ci ?? 0); i++) {
      removed.push(i)
    }
    const added: string[] = []
    for (; j < (rj ?? 0); j++) {
      added.push(refused[j] ?? '')
    }
    const paired = Math.min(removed.length, added.length)
    for (let k = 0; k < paired; k++) {
      changes.push({ kind: 'replace', index: removed[k] ?? 0, text: added[k] ?? '' })
    }
    for (const index of removed.slice(paired)) {
      changes.push({ kind: 'delete', index })
    }
    const after = paired > 0 ? (removed[paired - 1] ?? 0) : (ci ?? 0) - 1
    for (const text of added.slice(paired)) {
      changes.push({ kind: 'insert', after, text })
    }
    i = (ci ?? 0) + 1
    j = (rj ?? 0) + 1
  }
  return changes.filter((change) => change.kind === 'delete' || change.text !== '')
}

/**
 * Records the changes as suggestions of the room's user, anchored in `doc` (the editor's current
 * document of the same body).
 * @returns how many suggestions were made
 */
export function proposeChanges(
  room: GongwenRoom,
  doc: ProseMirrorNode,
  changes: readonly BlockChange[],
): number {
  const blocks = textBlocks(doc)
  let count = 0
  for (const change of changes) {
    if (change.kind === 'insert') {
      const at = change.after < 0 ? 0 : change.after
      const offset = change.after < 0 ? 0 : (blocks[at]?.length ?? 0)
      const range = blockRange(doc, at, offset, 0)
      count += range === null ? 0 : room.proposeText(range, change.text)
      continue
    }
    const length = blocks[change.index]?.length ?? 0
    const range = blockRange(doc, change.index, 0, length)
    if (range === null) {
      continue
    }
    if (change.kind === 'delete') {
      count += length === 0 ? 0 : room.proposeDelete(range)
    } else {
      count += room.proposeText(
        length === 0 ? { from: range.from, to: range.from } : range,
        change.text,
      )
    }
  }
  return count
}
