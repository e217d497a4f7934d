import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getSchema } from '@tiptap/core'
import type { JSONContent } from '@tiptap/core'
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { gongwenSchemaExtensions } from '../../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import { createPositionMapper } from '../../../../renderer/src/features/documents/gongwen/anchors/positions'
import { textRuns } from '../../../../renderer/src/features/documents/gongwen/anchors/textRuns'
import {
  addThread,
  readThreads,
  replyToThread,
  setThreadResolved,
} from '../../../../renderer/src/features/documents/gongwen/comments/threads'

const schema = getSchema(gongwenSchemaExtensions())
const isLeaf = (name: string): boolean => schema.nodes[name]?.isLeaf ?? false

const text = (value: string, marks?: JSONContent['marks']): JSONContent => ({
  type: 'text',
  text: value,
  ...(marks === undefined ? {} : { marks }),
})
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content })

/** A body with every kind of node a 公文 has: headings, marks, a line break, a list and a table. */
const SAMPLE: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [text('一、总体要求')] },
    paragraph(text('各单位要'), text('高度重视', [{ type: 'bold' }]), text('值班工作。')),
    paragraph(text('第一行'), { type: 'hardBreak' }, text('第二行')),
    { type: 'paragraph' },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [paragraph(text('加强领导'))] },
        { type: 'listItem', content: [paragraph(text('落实责任'))] },
      ],
    },
    {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: [
            { type: 'tableCell', content: [paragraph(text('单位'))] },
            { type: 'tableCell', content: [paragraph(text('值班人'))] },
          ],
        },
      ],
    },
    paragraph(text('特此通知。')),
  ],
}

function makeDoc(json: JSONContent = SAMPLE): { doc: Y.Doc; body: Y.XmlFragment } {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment('body')
  prosemirrorJSONToYXmlFragment(schema, json, body)
  return { doc, body }
}

const pmDoc = (body: Y.XmlFragment) => yXmlFragmentToProseMirrorRootNode(body, schema)

/** @returns the ProseMirror position of the first occurrence of `needle` */
function find(body: Y.XmlFragment, needle: string): number {
  let found = -1
  pmDoc(body).descendants((node, pos) => {
    if (found === -1 && node.isText && node.text !== undefined) {
      const at = node.text.indexOf(needle)
      if (at >= 0) {
        found = pos + at
      }
    }
    return found === -1
  })
  if (found === -1) {
    throw new Error(`"${needle}" not in the body`)
  }
  return found
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/** Y.XmlText of the paragraph that holds `needle` (first text child). */
function textHolding(body: Y.XmlFragment, needle: string): Y.XmlText {
  for (const node of body.createTreeWalker(() => true)) {
    if (node instanceof Y.XmlText && node.toJSON().includes(needle)) {
      return node
    }
  }
  throw new Error(`no text node holds "${needle}"`)
}

describe('body anchors', () => {
  test('every editor position converts to a relative position and back to itself', () => {
    const { body } = makeDoc()
    const mapper = createPositionMapper(body, isLeaf)
    const size = pmDoc(body).content.size
    for (let pos = 0; pos <= size; pos++) {
      for (const assoc of [0, -1]) {
        const stored = mapper.toStored(pos, assoc)
        expect(stored, `position ${pos}`).not.toBeNull()
        if (stored !== null) {
          expect(mapper.toAbsolute(stored), `position ${pos} assoc ${assoc}`).toBe(pos)
        }
      }
    }
    expect(mapper.toStored(size + 1, 0)).toBeNull()
  })

  test('a comment on a phrase still covers that phrase after a colleague edits before it', () => {
    const drafter = makeDoc()
    const colleague = new Y.Doc()
    sync(drafter.doc, colleague)

    const from = find(drafter.body, '高度重视')
    const mapper = createPositionMapper(drafter.body, isLeaf)
    const fromStored = mapper.toStored(from, 0)
    const toStored = mapper.toStored(from + 4, -1)
    expect(fromStored).not.toBeNull()
    expect(toStored).not.toBeNull()
    if (fromStored === null || toStored === null) {
      return
    }
    addThread(drafter.doc, {
      from: fromStored,
      to: toStored,
      quote: '高度重视',
      author: { id: 'u1', name: '张伟' },
      text: '建议改为“切实重视”',
    })
    sync(drafter.doc, colleague)

    // The colleague adds a paragraph at the top and words before the phrase, on their own copy.
    const colleagueBody = colleague.getXmlFragment('body')
    const inserted = new Y.XmlElement('paragraph')
    inserted.insert(0, [new Y.XmlText('新增的第一段。')])
    colleagueBody.insert(0, [inserted])
    textHolding(colleagueBody, '各单位要').insert(0, '全市')
    // Typing right before and right after the phrase does not pull the new words into it.
    sync(drafter.doc, colleague)
    const paragraphText = textHolding(drafter.body, '各单位要')
    const phraseAt = paragraphText.toString().indexOf('高度重视')
    expect(phraseAt).toBeGreaterThan(0)
    paragraphText.insert(find(drafter.body, '高度重视') - find(drafter.body, '全市'), '前')
    const after = find(drafter.body, '高度重视') + 4 - find(drafter.body, '全市')
    paragraphText.insert(after, '后')
    sync(drafter.doc, colleague)

    for (const doc of [drafter.doc, colleague]) {
      const body = doc.getXmlFragment('body')
      const [thread] = readThreads(doc)
      expect(thread?.quote).toBe('高度重视')
      const anchors = createPositionMapper(body, isLeaf)
      const start = thread?.from ? anchors.toAbsolute(thread.from) : null
      const end = thread?.to ? anchors.toAbsolute(thread.to) : null
      expect(start).not.toBeNull()
      expect(end).not.toBeNull()
      expect(pmDoc(body).textBetween(start ?? 0, end ?? 0)).toBe('高度重视')
      expect(pmDoc(body).textContent).toContain('全市各单位要前高度重视后值班工作。')
    }
  })

  test('a comment whose paragraph was deleted has no position any more', () => {
    const { doc, body } = makeDoc()
    const mapper = createPositionMapper(body, isLeaf)
    const from = find(body, '特此通知')
    const fromStored = mapper.toStored(from, 0)
    expect(fromStored).not.toBeNull()
    body.delete(body.length - 1, 1)
    expect(fromStored && createPositionMapper(body, isLeaf).toAbsolute(fromStored)).toBeNull()
    doc.destroy()
  })

  test('threads take replies, resolve and reopen, and every copy sees the same', () => {
    const a = makeDoc()
    const b = new Y.Doc()
    sync(a.doc, b)
    const mapper = createPositionMapper(a.body, isLeaf)
    const at = find(a.body, '值班工作')
    const from = mapper.toStored(at, 0)
    const to = mapper.toStored(at + 4, -1)
    if (from === null || to === null) {
      throw new Error('no anchor')
    }
    const id = addThread(a.doc, {
      from,
      to,
      quote: '值班工作',
      author: { id: 'u1', name: '张伟' },
      text: '  请 @李娜 核对  ',
      mentions: ['u2', 'u2'],
      now: 1,
    })
    expect(() =>
      addThread(a.doc, { from, to, quote: 'x', author: { id: 'u1', name: '张伟' }, text: '   ' }),
    ).toThrow()
    sync(a.doc, b)
    expect(
      replyToThread(b, id, { author: { id: 'u2', name: '李娜' }, text: '已核对', now: 2 }),
    ).toBe(true)
    expect(setThreadResolved(b, id, true, 'u1')).toBe(true)
    sync(a.doc, b)
    const [thread] = readThreads(a.doc)
    expect(thread).toMatchObject({
      id,
      text: '请 @李娜 核对',
      mentions: ['u2'],
      resolved: true,
      resolvedBy: 'u1',
      authorName: '张伟',
    })
    expect(thread?.replies.map((reply) => [reply.authorName, reply.text])).toEqual([
      ['李娜', '已核对'],
    ])
    setThreadResolved(a.doc, id, false, 'u1')
    expect(readThreads(a.doc)[0]).toMatchObject({ resolved: false, resolvedBy: null })
    expect(replyToThread(a.doc, 'nope', { author: { id: 'u1', name: '张伟' }, text: 'x' })).toBe(
      false,
    )
  })

  test('a selection splits into text runs at paragraph ends and line breaks', () => {
    const { body } = makeDoc()
    const doc = pmDoc(body)
    const from = find(body, '重视')
    const to = find(body, '二行') + 1
    expect(textRuns(doc, from, to).map((run) => run.text)).toEqual([
      '重视值班工作。',
      '第一行',
      '第二',
    ])
    for (const run of textRuns(doc, from, to)) {
      expect(doc.textBetween(run.from, run.to)).toBe(run.text)
    }
  })
})
