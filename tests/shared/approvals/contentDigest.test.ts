import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import {
  FLOW_FILLED_META_KEYS,
  contentDigest,
  contentDigests,
  encodeContent,
  substantiveText,
} from '../../../shared/gongwen/contentDigest'

/** A document typed in one go: a heading and a paragraph with a bold word. */
function typedAtOnce(): Y.Doc {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment('body')
  const heading = new Y.XmlElement('heading')
  heading.setAttribute('level', '1')
  heading.setAttribute('textAlign', 'center')
  heading.insert(0, [new Y.XmlText('关于做好防汛工作的通知')])
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText(
    '各市人民政府，省政府各部门：为切实做好今年汛期安全防范工作，现通知如下。',
  )
  paragraph.insert(0, [text])
  body.insert(0, [heading, paragraph])
  text.format(14, 2, { bold: true })
  const meta = doc.getMap('meta')
  meta.set('docType', 'notice')
  meta.set('title', '关于做好防汛工作的通知')
  meta.set('mainRecipients', '各市人民政府，省政府各部门')
  return doc
}

/** The same content, built in another order, with another client, edits undone and text split. */
function typedOtherwise(): Y.Doc {
  const doc = new Y.Doc()
  const meta = doc.getMap('meta')
  meta.set('mainRecipients', '各市人民政府')
  meta.set('title', '关于做好防汛工作的通知')
  meta.set('mainRecipients', '各市人民政府，省政府各部门')
  meta.set('docType', 'notice')
  const body = doc.getXmlFragment('body')
  const paragraph = new Y.XmlElement('paragraph')
  body.insert(0, [paragraph])
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  text.insert(0, '现通知如下。')
  text.insert(0, '为切实做好今年汛期安全防范工作，')
  text.insert(0, '各市人民政府，省政府各部门：')
  text.format(14, 4, { bold: true, italic: true })
  text.format(14, 4, { italic: null })
  text.format(16, 2, { bold: null })
  const heading = new Y.XmlElement('heading')
  heading.setAttribute('textAlign', 'center')
  heading.setAttribute('level', '1')
  heading.setAttribute('indent', null as unknown as string) // reason: y-prosemirror writes null for default attributes
  body.insert(0, [heading])
  heading.insert(0, [new Y.XmlText('关于做好'), new Y.XmlText('防汛工作的通知')])
  return doc
}

function edit(doc: Y.Doc, change: (paragraph: Y.XmlText) => void): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const paragraph = copy.getXmlFragment('body').get(1)
  if (!(paragraph instanceof Y.XmlElement)) {
    throw new Error('no paragraph')
  }
  const text = paragraph.get(0)
  if (!(text instanceof Y.XmlText)) {
    throw new Error('no text')
  }
  change(text)
  return copy
}

describe('content digest', () => {
  test('is SM3 hex of the documented encoding, pinned by the header’s example', () => {
    const doc = new Y.Doc()
    const p = new Y.XmlElement('paragraph')
    const t = new Y.XmlText()
    p.setAttribute('level', 1 as unknown as string) // reason: the editor stores numeric attributes
    p.insert(0, [t])
    doc.getXmlFragment('body').insert(0, [p])
    t.insert(0, '关于做好工作的通知')
    t.format(2, 2, { bold: true })
    doc.getMap('meta').set('title', '通知')
    doc.getMap('meta').set('signers', ['张三'])
    expect(encodeContent(doc)).toBe(
      '{"body":[{"a":{"level":1},"c":[{"t":[{"s":"关于"},{"m":{"bold":true},"s":"做好"},{"s":"工作的通知"}]}],"n":"paragraph"}],"meta":{"title":"通知"},"v":1}',
    )
    expect(contentDigest(doc)).toBe(
      '94236ec1cb36b5b0885634afb3cd8736a4ab77f4b91b77c427d8f0a867051848',
    )
  })

  test('the same content gives the same digests on two documents built by different edit orders', () => {
    const a = typedAtOnce()
    const b = typedOtherwise()
    expect(encodeContent(b)).toBe(encodeContent(a))
    expect(contentDigests(b)).toEqual(contentDigests(a))
    expect(contentDigest(a)).toMatch(/^[0-9a-f]{64}$/)
  })

  test('the meta keys the flow fills (signers, documentNumber, printDate, …) do not change it', () => {
    const doc = typedAtOnce()
    const before = contentDigests(doc)
    const meta = doc.getMap('meta')
    meta.set('signers', ['李四'])
    meta.set('documentNumber', '鲁政办发〔2026〕1号')
    meta.set('printDate', '2026年12月8日')
    meta.set('printingAuthority', '山东省人民政府办公厅')
    meta.set('copyNumber', '000001')
    expect(contentDigests(doc)).toEqual(before)
    expect([...FLOW_FILLED_META_KEYS].sort()).toEqual([
      'copyNumber',
      'documentNumber',
      'printDate',
      'printingAuthority',
      'signers',
    ])
    meta.set('title', '关于做好防汛抗旱工作的通知')
    expect(contentDigest(doc)).not.toBe(before.digest)
  })

  test('a body change changes both digests', () => {
    const a = typedAtOnce()
    const b = edit(a, (text) => text.insert(text.length - 1, '，请认真贯彻执行'))
    expect(contentDigest(b)).not.toBe(contentDigest(a))
    expect(contentDigest(b, 'ignorePunctuation')).not.toBe(contentDigest(a, 'ignorePunctuation'))
  })

  test('a punctuation-only or whitespace-only change changes the strict digest, not the substantive one', () => {
    const a = typedAtOnce()
    const comma = edit(a, (text) => {
      text.delete(6, 1)
      text.insert(6, '、')
    })
    const spaced = edit(a, (text) => text.insert(14, '\u3000 '))
    const halfWidth = edit(a, (text) => {
      text.delete(text.length - 1, 1)
      text.insert(text.length, '.')
    })
    for (const changed of [comma, spaced, halfWidth]) {
      expect(contentDigest(changed)).not.toBe(contentDigest(a))
      expect(contentDigest(changed, 'ignorePunctuation')).toBe(
        contentDigest(a, 'ignorePunctuation'),
      )
    }
  })

  test('formatting counts in the strict digest only', () => {
    const a = typedAtOnce()
    const bolder = edit(a, (text) => text.format(0, 2, { bold: true }))
    expect(contentDigest(bolder)).not.toBe(contentDigest(a))
    expect(contentDigest(bolder, 'ignorePunctuation')).toBe(contentDigest(a, 'ignorePunctuation'))
  })

  test('punctuation between digits is substantive: 1.5天 is not 15天', () => {
    expect(substantiveText('请假 1.5 天，共 1,000 元。')).toBe('请假1.5天共1,000元')
    expect(substantiveText('１５天')).toBe('15天')
    expect(substantiveText('1.5天')).not.toBe(substantiveText('15天'))
  })

  test('an empty paragraph or a hard break is whitespace to the substantive digest', () => {
    const a = typedAtOnce()
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    b.getXmlFragment('body').insert(2, [new Y.XmlElement('paragraph')])
    expect(contentDigest(b)).not.toBe(contentDigest(a))
    expect(contentDigest(b, 'ignorePunctuation')).toBe(contentDigest(a, 'ignorePunctuation'))
  })
})
