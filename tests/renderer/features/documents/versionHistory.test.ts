import { afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Editor } from '@tiptap/vue-3'
import type { DocumentAuthor } from '../../../../shared/api'
import {
  createHistoryEditor,
  renderComparison,
  summarizeChanges,
} from '../../../../renderer/src/features/documents/gongwen/versions/historyEditor'

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

/**
 * A room's history as the relay keeps it: one gc:false document edited by two people, with each
 * person's client ids and deletions recorded the way GET /authors reports them.
 */
function twoAuthors(): {
  room: Y.Doc
  authors: DocumentAuthor[]
  edit: (who: 0 | 1, change: (doc: Y.Doc) => void) => void
} {
  const room = new Y.Doc({ gc: false })
  const people = [
    { userId: 'u-zhang', displayName: '张三', color: '#c0392b', doc: new Y.Doc({ gc: false }) },
    { userId: 'u-li', displayName: '李四', color: '#2471a3', doc: new Y.Doc({ gc: false }) },
  ]
  const deletions = people.map(() => new Array<Y.Transaction['deleteSet']>())
  people.forEach((person, index) => {
    person.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.local && tr.deleteSet.clients.size > 0) {
        deletions[index]?.push(tr.deleteSet)
      }
    })
  })
  const authors = (): DocumentAuthor[] =>
    people.map((p, index) => ({
      userId: p.userId,
      displayName: p.displayName,
      color: p.color,
      clientIds: [p.doc.clientID],
      deletions: base64(
        Y.encodeSnapshot(Y.createSnapshot(Y.mergeDeleteSets(deletions[index] ?? []), new Map())),
      ),
    }))
  const result = {
    room,
    authors: [] as DocumentAuthor[],
    edit(who: 0 | 1, change: (doc: Y.Doc) => void) {
      const person = people[who]
      if (person === undefined) {
        return
      }
      Y.applyUpdate(person.doc, Y.encodeStateAsUpdate(room))
      change(person.doc)
      Y.applyUpdate(room, Y.encodeStateAsUpdate(person.doc))
      result.authors = authors()
    },
  }
  return result
}

/** Appends a paragraph holding `text` to the body, as the TipTap binding writes it. */
function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph')
    doc.getXmlFragment('body').push([paragraph])
    const content = new Y.XmlText()
    paragraph.push([content])
    content.insert(0, text)
  })
}

/** @returns the text of the body's paragraph at `index`. */
function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  const paragraph = doc.getXmlFragment('body').get(index)
  const first = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
  if (!(first instanceof Y.XmlText)) {
    throw new Error(`no paragraph text at ${index}`)
  }
  return first
}

const editors: Editor[] = []
afterEach(() => {
  editors.splice(0).forEach((e) => e.destroy())
})

describe('留痕 between two versions', () => {
  test("each author's insertions and deletions show in their colour", async () => {
    const history = twoAuthors()
    history.edit(0, (doc) => appendParagraph(doc, '各市人民政府要切实做好防汛准备工作'))
    const older = Y.encodeStateAsUpdateV2(history.room)
    history.edit(1, (doc) => {
      const text = paragraphText(doc, 0)
      text.delete(7, 2) // 切实
      text.insert(7, '认真')
      appendParagraph(doc, '特此通知。')
    })
    const newer = Y.encodeStateAsUpdateV2(history.room)

    const editor = createHistoryEditor(history.authors)
    editors.push(editor)
    await renderComparison(editor, older, newer)

    // Both versions' text is shown: the deleted words stay, struck out.
    expect(editor.state.doc.textContent).toContain('要切实认真做好')
    expect(editor.state.doc.textContent).toContain('特此通知。')
    const totals = summarizeChanges(editor.state.doc)
    expect(totals).toContainEqual({ user: 'u-li', added: 2 + 5, removed: 2 })
    expect(totals.find((t) => t.user === 'u-zhang')).toBeUndefined()

    const html = editor.getHTML()
    expect(html).toMatch(/<ychange[^>]*data-user="u-li"[^>]*color: #2471a3[^>]*>切实<\/ychange>/)
    expect(html).toMatch(/ychange-removed[^>]*>切实</)
    expect(html).toMatch(/ychange-added[^>]*>认真</)
    expect(editor.isEditable).toBe(false)
  })

  test('text written and deleted between the two versions is in neither, so it is not shown', async () => {
    const history = twoAuthors()
    const empty = Y.encodeStateAsUpdateV2(history.room)
    history.edit(0, (doc) => appendParagraph(doc, '关于做好汛期值班工作的通知'))
    history.edit(1, (doc) => paragraphText(doc, 0).delete(0, 2))
    const editor = createHistoryEditor(history.authors)
    editors.push(editor)
    await renderComparison(editor, empty, Y.encodeStateAsUpdateV2(history.room))
    // 张三 wrote 13 characters; 李四 deleted 2 of them before the later version was taken.
    expect(editor.state.doc.textContent).toBe('做好汛期值班工作的通知')
    expect(summarizeChanges(editor.state.doc)).toEqual([{ user: 'u-zhang', added: 11, removed: 0 }])
  })
})
