/**
 * Lets Chromium skip the layout and paint of body paragraphs that are off screen
 * (`content-visibility: auto`, in gongwenBody.css), while the page view keeps its true length.
 *
 * A skipped paragraph takes the height given by `contain-intrinsic-block-size`; once it has been
 * shown, the browser remembers its real height (`auto`). Before that, the height here is an
 * estimate on the 公文 grid: 28 characters per line with the first line indented by two, one
 * grid line per line. The page count and the page breaks of the page view (GB/T 9704: 22 lines a
 * page) come from the total height, so the estimate keeps them right on opening. Latin letters and
 * digits are narrower than 28 per line, so the estimate errs on the long side for them.
 *
 * Why: a 30,000-character 公文 is 40-odd pages; laying out and painting all of them on opening
 * took about 60 ms, and every frame while typing touched the whole page.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/** Characters per line and first-line indent of the body grid (GB/T 9704 §5.2.2, §7.3.3). */
const CHARS_PER_LINE = 28
const FIRST_LINE_INDENT = 2

const offscreenKey = new PluginKey<{ lines: readonly number[]; set: DecorationSet }>(
  'gongwenOffscreen',
)

/** @returns the estimated grid lines of each top-level block (0: not a text block, no estimate) */
export function estimatedLines(doc: ProseMirrorNode): number[] {
  const lines: number[] = []
  doc.forEach((block) => {
    lines.push(
      block.isTextblock
        ? Math.max(1, Math.ceil((block.content.size + FIRST_LINE_INDENT) / CHARS_PER_LINE))
        : 0,
    )
  })
  return lines
}

function decorations(doc: ProseMirrorNode, lines: readonly number[]): DecorationSet {
  const list: Decoration[] = []
  doc.forEach((block, offset, index) => {
    const count = lines[index] ?? 0
    if (count > 0) {
      list.push(
        Decoration.node(offset, offset + block.nodeSize, {
          class: 'gw-offscreen',
          style: `--gw-estimated-lines: ${count}`,
        }),
      )
    }
  })
  return DecorationSet.create(doc, list)
}

function sameLines(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}

/** The extension (decorations only: nothing is stored in the document). */
export const OffscreenBlocks = Extension.create({
  name: 'gongwenOffscreenBlocks',

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: offscreenKey,
        state: {
          init: (_config, state) => {
            const lines = estimatedLines(state.doc)
            return { lines, set: decorations(state.doc, lines) }
          },
          apply: (tr, previous) => {
            if (!tr.docChanged) {
              return previous
            }
            const lines = estimatedLines(tr.doc)
            // Most keystrokes leave every estimate as it was: then only positions move, unless the
            // change replaced whole blocks (a colleague's change replaces the whole body).
            if (sameLines(lines, previous.lines)) {
              const mapped = previous.set.map(tr.mapping, tr.doc)
              if (mapped.find().length === lines.filter((count) => count > 0).length) {
                return { lines, set: mapped }
              }
            }
            return { lines, set: decorations(tr.doc, lines) }
          },
        },
        props: {
          decorations: (state) => offscreenKey.getState(state)?.set ?? DecorationSet.empty,
        },
      }),
    ]
  },
})
