/**
 * Anchors into the document body: converts between ProseMirror positions of the editor and Yjs
 * relative positions into the `body` Y.XmlFragment, so comments and suggestions follow their text
 * while colleagues edit around it.
 *
 * The conversion reads node sizes from the Y structure itself (the same structure y-tiptap builds
 * the editor's document from: an element is 2 + its content, a leaf element 1, a text its length),
 * so it works without a mounted editor and in tests.
 *
 * @example
 *   const mapper = createPositionMapper(doc.getXmlFragment('body'), isLeaf)
 *   const from = mapper.toStored(selection.from, 0)
 *   const to = mapper.toStored(selection.to, -1)
 *   mapper.toAbsolute(from) // follows the text
 */
import * as Y from 'yjs'

/** Tells whether a node name is a leaf (atom) of the editor schema, e.g. hardBreak. */
export type IsLeaf = (nodeName: string) => boolean

import { isStoredPosition } from '../../../../../../shared/gongwen/annotations'
import type { StoredPosition } from '../../../../../../shared/gongwen/annotations'

// The stored shape is part of the comments' and suggestions' Y structure, declared in shared/.
export { isStoredPosition }
export type { StoredId, StoredPosition } from '../../../../../../shared/gongwen/annotations'

/** Where a relative position lands in the Y tree. */
export interface YPoint {
  /** An XmlText (index counts characters) or a container (index counts children). */
  readonly type: Y.XmlText | Y.XmlFragment
  readonly index: number
}

/** Converts positions for one state of the body (sizes are cached; make a new mapper after changes). */
export interface PositionMapper {
  /** @returns the Y point of a ProseMirror position, or null when it is outside the body */
  toYPoint(pos: number): YPoint | null
  /**
   * @param assoc 0 sticks to the character after `pos` (text typed at `pos` stays outside a range
   *   starting there); -1 sticks to the character before (text typed at `pos` stays outside a range
   *   ending there)
   * @returns the stored relative position, or null when `pos` is outside the body
   */
  toStored(pos: number, assoc: number): StoredPosition | null
  /** @returns the Y point a stored position resolves to, or null when its text was removed */
  resolve(stored: StoredPosition): YPoint | null
  /** @returns the ProseMirror position of a stored position, or null when its text was removed */
  toAbsolute(stored: StoredPosition): number | null
}

/** Creates a mapper over `fragment` (which must belong to a Y.Doc). */
export function createPositionMapper(fragment: Y.XmlFragment, isLeaf: IsLeaf): PositionMapper {
  const owner = fragment.doc
  if (owner === null) {
    throw new Error('the body fragment is not part of a Y.Doc')
  }
  const doc: Y.Doc = owner
  const sizes = new Map<Y.XmlElement, number>()

  function contentSize(container: Y.XmlFragment): number {
    let size = 0
    for (const child of container.toArray()) {
      size += childSize(child)
    }
    return size
  }

  function childSize(child: unknown): number {
    if (child instanceof Y.XmlText) {
      return child.length
    }
    if (child instanceof Y.XmlElement) {
      let size = sizes.get(child)
      if (size === undefined) {
        size = isLeaf(child.nodeName) ? 1 : 2 + contentSize(child)
        sizes.set(child, size)
      }
      return size
    }
    return 0
  }

  function resolveIn(container: Y.XmlFragment, pos: number): YPoint | null {
    let index = 0
    let rest = pos
    for (const child of container.toArray()) {
      if (child instanceof Y.XmlText) {
        if (rest <= child.length) {
          return { type: child, index: rest }
        }
        rest -= child.length
      } else if (child instanceof Y.XmlElement) {
        if (rest === 0) {
          return { type: container, index }
        }
        const size = childSize(child)
        if (!isLeaf(child.nodeName) && rest < size) {
          return resolveIn(child, rest - 1)
        }
        rest -= size
      }
      index++
    }
    return rest === 0 ? { type: container, index } : null
  }

  function toAbsoluteFromPoint(point: YPoint): number | null {
    let type: Y.XmlText | Y.XmlFragment = point.type
    let pos = 0
    if (type instanceof Y.XmlText) {
      pos = Math.min(point.index, type.length)
    } else {
      const children = type.toArray()
      for (let i = 0; i < point.index && i < children.length; i++) {
        pos += childSize(children[i])
      }
    }
    while (type !== fragment) {
      const item: Y.Item | null = type._item
      if (item === null || item.deleted) {
        return null
      }
      const parent = item.parent
      if (!(parent instanceof Y.XmlFragment)) {
        return null
      }
      let offset = 0
      for (const sibling of parent.toArray()) {
        if (sibling === type) {
          break
        }
        offset += childSize(sibling)
      }
      pos += offset + (type instanceof Y.XmlElement ? 1 : 0)
      type = parent
    }
    return pos
  }

  function resolve(stored: StoredPosition): YPoint | null {
    const absolute = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(stored),
      doc,
    )
    if (absolute === null) {
      return null
    }
    const type = absolute.type
    if (!(type instanceof Y.XmlText) && !(type instanceof Y.XmlFragment)) {
      return null
    }
    return { type, index: absolute.index }
  }

  return {
    toYPoint: (pos) => (pos < 0 ? null : resolveIn(fragment, pos)),
    toStored(pos, assoc) {
      const point = pos < 0 ? null : resolveIn(fragment, pos)
      if (point === null) {
        return null
      }
      const relative = Y.createRelativePositionFromTypeIndex(point.type, point.index, assoc)
      const json: unknown = Y.relativePositionToJSON(relative)
      return isStoredPosition(json) ? json : null
    },
    resolve,
    toAbsolute(stored) {
      const point = resolve(stored)
      return point === null ? null : toAbsoluteFromPoint(point)
    },
  }
}
