import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getSchema } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { gongwenSchemaExtensions } from '../../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import { createPositionMapper } from '../../../../renderer/src/features/documents/gongwen/anchors/positions'
import {
  acceptSuggestion,
  addSuggestion,
  readSuggestions,
} from '../../../../renderer/src/features/documents/gongwen/suggestions/suggestionModel'
import { createTypedSuggestions } from '../../../../renderer/src/features/documents/gongwen/suggestions/typedSuggestions'

const schema = getSchema(gongwenSchemaExtensions())
const isLeaf = (name: string): boolean => schema.nodes[name]?.isLeaf ?? false
const REVIEWER = { id: 'u3', name: '王芳' }
const COLLEAGUE = { id: 'u4', name: '赵敏' }

function bodyDoc(): Y.Doc {
  const doc = new Y.Doc()
  prosemirrorJSONToYXmlFragment(
    schema,
    {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: '各单位要高度重视值班工作。' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '严格落实二十四小时值班制度。' }] },
      ],
    },
    doc.getXmlFragment('body'),
  )
  return doc
}

const pmOf = (doc: Y.Doc): ProseMirrorNode =>
  yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment('body'), schema)
const mapperOf = (doc: Y.Doc) => createPositionMapper(doc.getXmlFragment('body'), isLeaf)
const blocks = (doc: Y.Doc): string[] => {
  const lines: string[] = []
  pmOf(doc).forEach((node) => lines.push(node.textContent))
  return lines
}

/** @returns the position of `needle` in the body (after it when `after`) */
function at(doc: Y.Doc, needle: string, after = false): number {
  let found = -1
  pmOf(doc).descendants((node, pos) => {
    if (found === -1 && node.isText && node.text?.includes(needle)) {
      found = pos + node.text.indexOf(needle) + (after ? needle.length : 0)
    }
    return found === -1
  })
  if (found === -1) {
    throw new Error(`no "${needle}"`)
  }
  return found
}

function setup(author = REVIEWER) {
  const doc = bodyDoc()
  const typing = createTypedSuggestions({ doc, user: author, mapper: () => mapperOf(doc) })
  return { doc, typing }
}

const open = (doc: Y.Doc) => readSuggestions(doc).filter((s) => s.status === 'open')
const acceptAll = (doc: Y.Doc): void => {
  for (const s of open(doc)) {
    expect(acceptSuggestion(doc, s.id, mapperOf(doc), 'u1')).toBe('ok')
  }
}

describe('修订 by typing', () => {
  test('typing on at the caret extends one insertion, which the drafter can accept', () => {
    const { doc, typing } = setup()
    const caret = at(doc, '值班工作', true)
    let next: number | null = caret
    for (const key of ['请', '于', '本周', '报送']) {
      next = typing.insert(pmOf(doc), next ?? -1, next ?? -1, key)
      expect(next).toBe(caret)
    }
    expect(open(doc)).toMatchObject([{ kind: 'insert', text: '请于本周报送', authorId: 'u3' }])
    expect(blocks(doc)[0]).toBe('各单位要高度重视值班工作。')
    acceptAll(doc)
    expect(blocks(doc)[0]).toBe('各单位要高度重视值班工作请于本周报送。')
  })

  test('Backspace right after typed text erases it; erased completely, the suggestion is gone', () => {
    const { doc, typing } = setup()
    const caret = at(doc, '值班工作', true)
    typing.insert(pmOf(doc), caret, caret, '请报送')
    expect(typing.deleteBackward(pmOf(doc), caret)).toBe(caret)
    expect(open(doc)).toMatchObject([{ kind: 'insert', text: '请报' }])
    typing.deleteBackward(pmOf(doc), caret)
    typing.deleteBackward(pmOf(doc), caret)
    expect(readSuggestions(doc)).toEqual([])
  })

  test('Backspace and Delete extend one deletion each; accepted, the word is gone', () => {
    const { doc, typing } = setup()
    let caret: number | null = at(doc, '二十四小时', true)
    for (let i = 0; i < 3; i++) {
      caret = typing.deleteBackward(pmOf(doc), caret ?? -1)
    }
    expect(caret).toBe(at(doc, '四小时'))
    caret = at(doc, '二十四')
    caret = typing.deleteForward(pmOf(doc), caret)
    caret = typing.deleteForward(pmOf(doc), caret ?? -1)
    expect(caret).toBe(at(doc, '四小时'))
    expect(
      open(doc)
        .map((s) => `${s.kind}:${s.quote}`)
        .sort(),
    ).toEqual(['delete:二十', 'delete:四小时'])
    acceptAll(doc)
    expect(blocks(doc)[1]).toBe('严格落实值班制度。')
  })

  test("Backspace steps over text already proposed for deletion, a colleague's too", () => {
    const { doc, typing } = setup()
    const mapper = mapperOf(doc)
    const from = mapper.toStored(at(doc, '小时'), 0)
    const to = mapper.toStored(at(doc, '小时', true), -1)
    if (from === null || to === null) {
      throw new Error('no anchor')
    }
    addSuggestion(doc, { kind: 'delete', from, to, text: '', quote: '小时', author: COLLEAGUE })
    const caret = typing.deleteBackward(pmOf(doc), at(doc, '小时', true))
    expect(caret).toBe(at(doc, '四小时'))
    expect(open(doc).find((s) => s.authorId === 'u3')).toMatchObject({ quote: '四' })
  })

  test('typing over a selection suggests replacing it, and typing on extends the replacement', () => {
    const { doc, typing } = setup()
    const caret = typing.insert(pmOf(doc), at(doc, '高度'), at(doc, '高度', true), '切')
    expect(caret).toBe(at(doc, '高度', true))
    typing.insert(pmOf(doc), caret ?? -1, caret ?? -1, '实')
    expect(open(doc)).toMatchObject([{ kind: 'replace', quote: '高度', text: '切实' }])
    // Erasing the typed text leaves a plain deletion.
    typing.deleteBackward(pmOf(doc), caret ?? -1)
    typing.deleteBackward(pmOf(doc), caret ?? -1)
    expect(open(doc)).toMatchObject([{ kind: 'delete', quote: '高度', text: '' }])
  })

  test('a selection across paragraphs becomes one deletion per run; pasted lines join', () => {
    const { doc, typing } = setup()
    expect(typing.deleteRange(pmOf(doc), at(doc, '工作。'), at(doc, '严格', true))).toBe(
      at(doc, '工作。'),
    )
    expect(open(doc).map((s) => s.quote)).toEqual(['工作。', '严格'])
    const caret = at(doc, '值班制度', true)
    typing.insert(pmOf(doc), caret, caret, '，\n认真执行')
    expect(open(doc).at(-1)).toMatchObject({ kind: 'insert', text: '，认真执行' })
  })

  test('nothing is suggested at the start of a paragraph or past the end of one', () => {
    const { doc, typing } = setup()
    expect(typing.deleteBackward(pmOf(doc), at(doc, '严格'))).toBeNull()
    expect(typing.deleteForward(pmOf(doc), at(doc, '工作。', true))).toBeNull()
    expect(readSuggestions(doc)).toEqual([])
  })

  test('a suggestion cannot grow past its limit', () => {
    const { doc, typing } = setup()
    const caret = at(doc, '工作', true)
    typing.insert(pmOf(doc), caret, caret, 'x'.repeat(4999))
    expect(() => typing.insert(pmOf(doc), caret, caret, 'yy')).toThrow('too long')
    expect(open(doc)[0]?.text.length).toBe(4999)
  })

  test('a deletion longer than the relay takes as one quote is cut into several, each applicable', () => {
    const doc = new Y.Doc()
    const long = '文'.repeat(25_000)
    prosemirrorJSONToYXmlFragment(
      schema,
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: long }] }] },
      doc.getXmlFragment('body'),
    )
    const typing = createTypedSuggestions({ doc, user: REVIEWER, mapper: () => mapperOf(doc) })
    typing.deleteRange(pmOf(doc), 1, 1 + long.length)
    expect(open(doc).map((s) => s.quote.length)).toEqual([20_000, 5_000])
    acceptAll(doc)
    expect(blocks(doc)).toEqual([''])
  })
})
