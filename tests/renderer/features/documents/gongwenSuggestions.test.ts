import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getSchema } from '@tiptap/core'
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { gongwenSchemaExtensions } from '../../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import { createPositionMapper } from '../../../../renderer/src/features/documents/gongwen/anchors/positions'
import {
  acceptSuggestion,
  addSuggestion,
  isApplicable,
  readSuggestions,
  rejectSuggestion,
} from '../../../../renderer/src/features/documents/gongwen/suggestions/suggestionModel'
import type { SuggestionKind } from '../../../../renderer/src/features/documents/gongwen/suggestions/suggestionModel'

const schema = getSchema(gongwenSchemaExtensions())
const isLeaf = (name: string): boolean => schema.nodes[name]?.isLeaf ?? false
const REVIEWER = { id: 'u3', name: '王芳' }

function drafterDoc(): Y.Doc {
  const doc = new Y.Doc()
  prosemirrorJSONToYXmlFragment(
    schema,
    {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '各单位要' },
            { type: 'text', text: '高度重视', marks: [{ type: 'bold' }] },
            { type: 'text', text: '值班工作。' },
          ],
        },
        { type: 'paragraph' },
        { type: 'paragraph', content: [{ type: 'text', text: '特此通知。' }] },
      ],
    },
    doc.getXmlFragment('body'),
  )
  return doc
}

const bodyText = (doc: Y.Doc): string[] => {
  const root = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment('body'), schema)
  const lines: string[] = []
  root.forEach((node) => lines.push(node.textContent))
  return lines
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/** The reviewer proposes `kind` over `quote` (found in the body), or an insert right after it. */
function propose(doc: Y.Doc, kind: SuggestionKind, quote: string, replacement = ''): string {
  const body = doc.getXmlFragment('body')
  const root = yXmlFragmentToProseMirrorRootNode(body, schema)
  let at = -1
  root.descendants((node, pos) => {
    if (at === -1 && node.isText && node.text?.includes(quote)) {
      at = pos + node.text.indexOf(quote)
    }
    return at === -1
  })
  if (at === -1) {
    throw new Error(`no "${quote}"`)
  }
  const mapper = createPositionMapper(body, isLeaf)
  const from = kind === 'insert' ? at + quote.length : at
  const to = at + quote.length
  const fromStored = mapper.toStored(from, kind === 'insert' ? -1 : 0)
  const toStored = mapper.toStored(to, -1)
  if (fromStored === null || toStored === null) {
    throw new Error('no anchor')
  }
  return addSuggestion(doc, {
    kind,
    from: fromStored,
    to: toStored,
    text: replacement,
    quote: kind === 'insert' ? '' : quote,
    author: REVIEWER,
  })
}

describe('suggestions (修订)', () => {
  test('accepting applies insert, delete and replace to the body; rejecting leaves it as it was', () => {
    const drafter = drafterDoc()
    const reviewer = new Y.Doc()
    sync(drafter, reviewer)
    const insert = propose(reviewer, 'insert', '各单位', '（部门）')
    const remove = propose(reviewer, 'delete', '高度')
    const replace = propose(reviewer, 'replace', '值班工作', '节日值班')
    const rejected = propose(reviewer, 'replace', '特此通知', '此复')
    // The reviewer's copy of the body is untouched: suggestions live outside it.
    expect(bodyText(reviewer)).toEqual(['各单位要高度重视值班工作。', '', '特此通知。'])
    sync(drafter, reviewer)

    const mapper = () => createPositionMapper(drafter.getXmlFragment('body'), isLeaf)
    expect(readSuggestions(drafter).every((s) => isApplicable(s, mapper()))).toBe(true)
    expect(acceptSuggestion(drafter, insert, mapper(), 'u1')).toBe('ok')
    expect(acceptSuggestion(drafter, remove, mapper(), 'u1')).toBe('ok')
    expect(acceptSuggestion(drafter, replace, mapper(), 'u1')).toBe('ok')
    expect(rejectSuggestion(drafter, rejected, 'u1')).toBe('ok')
    expect(bodyText(drafter)).toEqual(['各单位（部门）要重视节日值班。', '', '特此通知。'])
    // Decided suggestions cannot be decided again.
    expect(acceptSuggestion(drafter, rejected, mapper(), 'u1')).toBe('decided')
    expect(rejectSuggestion(drafter, insert, 'u1')).toBe('decided')
    expect(acceptSuggestion(drafter, 'nope', mapper(), 'u1')).toBe('missing')

    sync(drafter, reviewer)
    expect(bodyText(reviewer)).toEqual(bodyText(drafter))
    const statuses = Object.fromEntries(readSuggestions(reviewer).map((s) => [s.id, s.status]))
    expect(statuses).toEqual({
      [insert]: 'accepted',
      [remove]: 'accepted',
      [replace]: 'accepted',
      [rejected]: 'rejected',
    })
    expect(readSuggestions(reviewer).every((s) => s.decidedBy === 'u1')).toBe(true)
  })

  test('accepting changes the body and the status in one transaction', () => {
    const doc = drafterDoc()
    const id = propose(doc, 'replace', '值班工作', '节日值班')
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    acceptSuggestion(doc, id, createPositionMapper(doc.getXmlFragment('body'), isLeaf), 'u1')
    expect(updates).toHaveLength(1)
    // A copy that receives only that update sees both the new text and the decision.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    expect(bodyText(other)[0]).toBe('各单位要高度重视节日值班。')
    expect(readSuggestions(other)[0]?.status).toBe('accepted')
  })

  test('an insert into an empty paragraph creates its text', () => {
    const doc = drafterDoc()
    const body = doc.getXmlFragment('body')
    const mapper = createPositionMapper(body, isLeaf)
    // Position inside the empty second paragraph: after paragraph one (size 2 + 13) plus its open tag.
    const inside = 2 + '各单位要高度重视值班工作。'.length + 1
    const at = mapper.toStored(inside, -1)
    if (at === null) {
      throw new Error('no anchor')
    }
    const id = addSuggestion(doc, {
      kind: 'insert',
      from: at,
      to: at,
      text: '二、工作要求',
      quote: '',
      author: REVIEWER,
    })
    expect(acceptSuggestion(doc, id, createPositionMapper(body, isLeaf), 'u1')).toBe('ok')
    expect(bodyText(doc)[1]).toBe('二、工作要求')
  })

  test('a suggestion whose text a colleague changed meanwhile can no longer be accepted, only rejected', () => {
    const drafter = drafterDoc()
    const reviewer = new Y.Doc()
    sync(drafter, reviewer)
    const id = propose(reviewer, 'delete', '高度重视')
    sync(drafter, reviewer)
    // An editor rewrites one character inside the quoted words.
    const body = drafter.getXmlFragment('body')
    const first = body.get(0)
    const text = first instanceof Y.XmlElement ? first.get(0) : null
    if (!(text instanceof Y.XmlText)) {
      throw new Error('no text')
    }
    text.delete(5, 1)
    text.insert(5, '等')
    const mapper = createPositionMapper(body, isLeaf)
    const [suggestion] = readSuggestions(drafter)
    expect(suggestion && isApplicable(suggestion, mapper)).toBe(false)
    expect(acceptSuggestion(drafter, id, mapper, 'u1')).toBe('stale')
    expect(bodyText(drafter)[0]).toBe('各单位要高等重视值班工作。')
    expect(rejectSuggestion(drafter, id, 'u1')).toBe('ok')
  })

  test('empty proposals are refused', () => {
    const doc = drafterDoc()
    expect(() => propose(doc, 'insert', '各单位', '')).toThrow()
  })
})
