/**
 * Bridges the document room's Y types and the plain shapes of this folder: reads the `body`
 * fragment as text blocks for the checker, and writes a template's meta and body into a fresh room.
 * The element names are the editor's (TipTap StarterKit) node names, as y-prosemirror stores them.
 *
 * @example
 *   const blocks = readBodyBlocks(doc.getXmlFragment(BODY_ROOT))
 *   checkDocument(readMeta(doc.getMap(META_ROOT).toJSON()), blocks)
 */
import * as Y from 'yjs'
import type { GongwenTemplate } from './templates'
import type { BodyBlock } from './violations'

/** Root names of a document room (gongwen-model.md). */
export const BODY_ROOT = 'body'
export const META_ROOT = 'meta'
export const COMMENTS_ROOT = 'comments'
export const SUGGESTIONS_ROOT = 'suggestions'

/** The roots a commenter may change. */
export const COMMENTER_ROOTS: ReadonlySet<string> = new Set([COMMENTS_ROOT, SUGGESTIONS_ROOT])

// Nodes whose text is one block for the checker; containers (lists, tables) are walked into.
const TEXT_BLOCK_NAMES: ReadonlySet<string> = new Set(['paragraph', 'heading', 'codeBlock'])

function textOf(element: Y.XmlElement): string {
  let text = ''
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert?: unknown }[]) {
        if (typeof op.insert === 'string') {
          text += op.insert
        }
      }
    } else if (child instanceof Y.XmlElement) {
      // hardBreak and other inline nodes: a break reads as a newline.
      text += child.nodeName === 'hardBreak' ? '\n' : textOf(child)
    }
  }
  return text
}

/** @returns the body's text blocks in reading order, numbered from 0. */
export function readBodyBlocks(fragment: Y.XmlFragment): BodyBlock[] {
  const blocks: BodyBlock[] = []
  const walk = (nodes: readonly (Y.XmlElement | Y.XmlText)[], container: string | null): void => {
    for (const node of nodes) {
      if (!(node instanceof Y.XmlElement)) {
        continue
      }
      if (TEXT_BLOCK_NAMES.has(node.nodeName)) {
        const level = Number(node.getAttribute('level'))
        blocks.push({
          index: blocks.length,
          // A paragraph inside a table cell is reported as a cell, so heading rules skip it.
          type: container ?? node.nodeName,
          ...(node.nodeName === 'heading' && Number.isInteger(level) ? { level } : {}),
          text: textOf(node),
        })
        continue
      }
      const inCell = node.nodeName === 'tableCell' || node.nodeName === 'tableHeader'
      walk(node.toArray().filter(isNode), inCell ? 'tableCell' : container)
    }
  }
  walk(fragment.toArray().filter(isNode), null)
  return blocks
}

function isNode(value: unknown): value is Y.XmlElement | Y.XmlText {
  return value instanceof Y.XmlElement || value instanceof Y.XmlText
}

/**
 * Writes a template into an empty room: meta keys and body blocks, in one transaction.
 * Does nothing to a room that already has a body or meta (a second opener must not duplicate it).
 * @returns whether it wrote anything
 */
export function seedFromTemplate(doc: Y.Doc, template: GongwenTemplate, origin?: unknown): boolean {
  const fragment = doc.getXmlFragment(BODY_ROOT)
  const meta = doc.getMap<unknown>(META_ROOT)
  if (fragment.length > 0 || meta.size > 0) {
    return false
  }
  doc.transact(() => {
    for (const [key, value] of Object.entries(template.meta)) {
      meta.set(key, Array.isArray(value) ? [...value] : value)
    }
    fragment.insert(
      0,
      template.blocks.map((block) => {
        const element = new Y.XmlElement(block.type)
        if (block.type === 'heading') {
          // y-prosemirror keeps node attributes as they are; the editor's heading level is a number.
          const attributes: Y.XmlElement<Record<string, string | number>> = element
          attributes.setAttribute('level', block.level)
        }
        element.insert(0, [new Y.XmlText(block.text)])
        return element
      }),
    )
  }, origin)
  return true
}
