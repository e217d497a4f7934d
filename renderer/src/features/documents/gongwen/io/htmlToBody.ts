/**
 * Turns imported HTML (mammoth's) into a body of the editor's schema: headings h1–h4 as the 公文
 * levels 一、（一）1.（1） (h5/h6 fold into level 4; a paragraph or heading that starts with a
 * heading number takes that number's level), paragraphs, bullet and ordered lists and tables.
 * Images are dropped and counted. The 公文要素 around the body (标题, 发文字号, 主送机关, 附件说明,
 * 署名, 成文日期, 版记 …; `recogniseElements`) are taken out of it and returned as meta values.
 *
 * @example
 *   const { doc, stats, title } = htmlToBody(html)
 *   editor.commands.setContent(doc.toJSON())
 */
import { DOMParser as ProseMirrorDOMParser } from '@tiptap/pm/model'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { parseHeadingPrefix } from '../../../../../../shared/gongwen/headings'
import { recogniseElements } from '../../../../../../shared/gongwen/importElements'
import type { ImportBlock } from '../../../../../../shared/gongwen/importElements'
import type { GongwenMeta } from '../../../../../../shared/gongwen/meta'
import { bodySchema } from './bodySchema'
import { TITLE_CLASS } from './docxImport'

/** What the import holds, for the dialog's summary. */
export interface BodyStats {
  readonly paragraphs: number
  readonly headings: number
  readonly tables: number
  readonly lists: number
  /** Characters of text. */
  readonly characters: number
}

/** An imported body. */
export interface ImportedBody {
  readonly doc: ProseMirrorNode
  readonly stats: BodyStats
  /** The 标题: the first Title-style paragraph's text or a recognised title line, or ''. */
  readonly title: string
  /** The other 公文要素 found around the body (only the keys found; `title` is above). */
  readonly meta: Partial<Omit<GongwenMeta, 'title'>>
  /** A 密级 mark (秘密★1年…) found at the top: such a document must not be imported. */
  readonly classifiedMark: string | null
  /** Images left out. */
  readonly imagesDropped: number
}

function rename(element: Element, tag: string): Element {
  const next = element.ownerDocument.createElement(tag)
  for (const attribute of Array.from(element.attributes)) {
    next.setAttribute(attribute.name, attribute.value)
  }
  next.append(...Array.from(element.childNodes))
  element.replaceWith(next)
  return next
}

/** Gives top-level paragraphs and headings the level of a heading number they start with. */
function levelByNumbers(root: Element): void {
  for (const element of Array.from(root.children)) {
    const tag = element.tagName.toLowerCase()
    if (tag !== 'p' && !/^h[1-6]$/.test(tag)) {
      continue
    }
    const prefix = parseHeadingPrefix(element.textContent ?? '')
    if (prefix !== null && tag !== `h${prefix.level}`) {
      rename(element, `h${prefix.level}`)
    }
  }
}

function statsOf(doc: ProseMirrorNode): BodyStats {
  let paragraphs = 0
  let headings = 0
  let tables = 0
  let lists = 0
  doc.descendants((node) => {
    switch (node.type.name) {
      case 'paragraph':
        paragraphs++
        break
      case 'heading':
        headings++
        break
      case 'table':
        tables++
        break
      case 'bulletList':
      case 'orderedList':
        lists++
        break
    }
    return true
  })
  return { paragraphs, headings, tables, lists, characters: doc.textContent.length }
}

const textOf = (element: Element): string => (element.textContent ?? '').trim()

/** @returns a top-level element as the element recogniser sees it */
function blockOf(element: Element): ImportBlock {
  const tag = element.tagName.toLowerCase()
  if (tag === 'p') {
    return {
      kind: element.classList.contains(TITLE_CLASS) ? 'title' : 'paragraph',
      text: textOf(element),
    }
  }
  if (/^h[1-6]$/.test(tag)) {
    return { kind: 'heading', text: textOf(element) }
  }
  if (tag === 'table') {
    const cells = Array.from(element.querySelectorAll('td, th'))
    const lines = cells.flatMap((cell) => {
      const paragraphs = Array.from(cell.querySelectorAll('p'))
      return paragraphs.length > 0 ? paragraphs.map(textOf) : [textOf(cell)]
    })
    return { kind: 'table', text: textOf(element), lines }
  }
  return { kind: 'other', text: textOf(element) }
}

/** @returns the body of `html`, parsed in an inert document (no scripts, no image loads). */
export function htmlToBody(html: string): ImportedBody {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html')
  const root = parsed.body
  const images = root.querySelectorAll('img')
  const imagesDropped = images.length
  images.forEach((image) => image.remove())

  const elements = Array.from(root.children)
  const found = recogniseElements(elements.map(blockOf))
  elements.forEach((element, index) => {
    if (found.taken.has(index)) {
      element.remove()
    }
  })
  const { title: foundTitle, ...meta } = found.meta
  const title = foundTitle ?? ''
  root.querySelectorAll('h5, h6').forEach((element) => rename(element, 'h4'))
  levelByNumbers(root)

  const doc = ProseMirrorDOMParser.fromSchema(bodySchema()).parse(root)
  doc.check()
  return {
    doc,
    stats: statsOf(doc),
    title,
    meta,
    classifiedMark: found.classifiedMark,
    imagesDropped,
  }
}
