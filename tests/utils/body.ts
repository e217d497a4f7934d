/** Writing and reading the `body` fragment of a document room the way the TipTap binding does. */
import * as Y from 'yjs'

/** Appends a paragraph holding `text` to the document's body. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph')
    doc.getXmlFragment('body').push([paragraph])
    const content = new Y.XmlText()
    paragraph.push([content])
    content.insert(0, text)
  })
}

/** @returns the first Y.XmlText of the paragraph at `index`. @throws when there is none */
export function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  const paragraph = doc.getXmlFragment('body').get(index)
  const first = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
  if (!(first instanceof Y.XmlText)) {
    throw new Error(`no paragraph text at ${index}`)
  }
  return first
}

/** @returns the body's paragraphs as plain strings. */
export function bodyParagraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('body')
    .toArray()
    .map((node) =>
      node instanceof Y.XmlElement
        ? node
            .toArray()
            .map((child) => (child instanceof Y.XmlText ? child.toString() : ''))
            .join('')
        : '',
    )
}

/** @returns a gc:false document holding a base64 state. */
export function docFromBase64(state: string): Y.Doc {
  const doc = new Y.Doc({ gc: false })
  Y.applyUpdate(doc, Buffer.from(state, 'base64'))
  return doc
}
