/**
 * A colleague's change rebuilds only the blocks it touched (keepUnchangedBlocks), on two real TipTap
 * editors bound to two Y.Docs that exchange their updates.
 */
import { afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { Editor } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import Collaboration from '@tiptap/extension-collaboration'
import { gongwenSchemaExtensions } from '../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import { keepUnchangedBlocks } from '../../../renderer/src/editor/keepUnchangedBlocks'

const editors: Editor[] = []

afterEach(() => {
  for (const editor of editors.splice(0)) {
    editor.destroy()
  }
})

function bodyEditor(doc: Y.Doc): Editor {
  const editor = new Editor({
    extensions: [
      ...gongwenSchemaExtensions(),
      Collaboration.configure({ document: doc, field: 'body' }),
    ],
  })
  editors.push(editor)
  return editor
}

/** Two documents that deliver their updates to each other at once, as a relay would. */
function pair(): { mine: Y.Doc; theirs: Y.Doc } {
  const mine = new Y.Doc()
  const theirs = new Y.Doc()
  mine.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'relay') {
      Y.applyUpdate(theirs, update, 'relay')
    }
  })
  theirs.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'relay') {
      Y.applyUpdate(mine, update, 'relay')
    }
  })
  return { mine, theirs }
}

function blocks(editor: Editor): PmNode[] {
  const nodes: PmNode[] = []
  editor.state.doc.forEach((node) => nodes.push(node))
  return nodes
}

/** @returns the position just inside the start of block `index` */
function blockStart(editor: Editor, index: number): number {
  let position = -1
  editor.state.doc.forEach((_node, offset, i) => {
    if (i === index) {
      position = offset + 1
    }
  })
  return position
}

const CONTENT =
  '<p>第一段：为深入贯彻落实党中央决策部署</p><h1>一、总体要求</h1><p>第三段：持续优化营商环境</p>' +
  '<p>第四段：加快推进数字政府建设</p><p>第五段：确保各项任务落地见效</p>'

function setUp(keep: boolean): { mine: Editor; theirs: Editor } {
  const docs = pair()
  const mine = bodyEditor(docs.mine)
  if (keep) {
    expect(keepUnchangedBlocks(mine)).toBe(true)
  }
  const theirs = bodyEditor(docs.theirs)
  theirs.commands.setContent(CONTENT)
  expect(mine.getJSON()).toEqual(theirs.getJSON())
  return { mine, theirs }
}

describe('keepUnchangedBlocks', () => {
  test("a colleague's keystroke rebuilds their block only; the others stay the same nodes", () => {
    const { mine, theirs } = setUp(true)
    const before = blocks(mine)
    theirs.commands.insertContentAt(blockStart(theirs, 2) + 3, '进一步')

    const after = blocks(mine)
    expect(after).toHaveLength(before.length)
    expect(after[2]?.textContent).toBe('第三段进一步：持续优化营商环境')
    expect(after[2]).not.toBe(before[2])
    for (const i of [0, 1, 3, 4]) {
      expect(after[i]).toBe(before[i])
    }
    expect(mine.getJSON()).toEqual(theirs.getJSON())
  })

  test('without it, the binding rebuilds every block (what the change is for)', () => {
    const { mine, theirs } = setUp(false)
    const before = blocks(mine)
    theirs.commands.insertContentAt(blockStart(theirs, 2) + 3, '进一步')
    const after = blocks(mine)
    expect(after[0]).not.toBe(before[0])
    expect(after[4]).not.toBe(before[4])
  })

  test('blocks added, deleted and moved by a colleague converge, and my caret stays in its text', () => {
    const { mine, theirs } = setUp(true)
    // My caret: in the fourth block, after "第四段".
    mine.commands.setTextSelection(blockStart(mine, 3) + 3)
    const caretText = (): string => {
      const { $head } = mine.state.selection
      return $head.parent.textContent.slice(0, $head.parentOffset)
    }
    expect(caretText()).toBe('第四段')

    // They delete the first block, add one after the heading, and move the last block to the top.
    const first = theirs.state.doc.child(0)
    theirs.commands.deleteRange({ from: 0, to: first.nodeSize })
    theirs.commands.insertContentAt(
      blockStart(theirs, 1) - 1,
      '<p>新增段落：建立健全工作协调机制</p>',
    )
    const lastIndex = theirs.state.doc.childCount - 1
    const last = theirs.state.doc.child(lastIndex)
    const lastFrom = blockStart(theirs, lastIndex) - 1
    theirs
      .chain()
      .deleteRange({ from: lastFrom, to: lastFrom + last.nodeSize })
      .insertContentAt(0, last.toJSON())
      .run()

    expect(mine.getJSON()).toEqual(theirs.getJSON())
    expect(blocks(mine).map((block) => block.textContent.slice(0, 3))).toEqual(
      blocks(theirs).map((block) => block.textContent.slice(0, 3)),
    )
    expect(caretText()).toBe('第四段')

    // My own typing still reaches them after all that.
    mine.commands.insertContent('（修改）')
    expect(theirs.getJSON()).toEqual(mine.getJSON())
    expect(caretText()).toBe('第四段（修改）')
  })
})
