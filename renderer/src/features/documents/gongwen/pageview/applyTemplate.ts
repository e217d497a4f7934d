/**
 * Starts a blank document from the template of a 文种: writes the template's meta (keeping any
 * title already given) and replaces the blank body with the template's blocks, in one transaction.
 */
import * as Y from 'yjs'
import type { DocTypeId } from '../../../../../../shared/gongwen/docTypes'
import { templateFor } from '../../../../../../shared/gongwen/templates'
import { BODY_ROOT, META_ROOT } from '../../../../../../shared/gongwen/yBody'
import { META_ORIGIN } from '../meta/metaFields'

function bodyIsBlank(body: Y.XmlFragment): boolean {
  for (const node of body.createTreeWalker(() => true)) {
    if (node instanceof Y.XmlText && node.length > 0) {
      return false
    }
  }
  return true
}

/**
 * Applies the template of `docType` to a document whose body is blank.
 * @returns false (and changes nothing) when the body already holds text
 */
export function applyTemplate(
  doc: Y.Doc,
  docType: DocTypeId,
  context: { title?: string; issuingAuthority?: string } = {},
): boolean {
  const body = doc.getXmlFragment(BODY_ROOT)
  if (!bodyIsBlank(body)) {
    return false
  }
  const meta = doc.getMap<unknown>(META_ROOT)
  const existingTitle = meta.get('title')
  const title =
    typeof existingTitle === 'string' && existingTitle.trim() !== '' ? existingTitle : context.title
  const template = templateFor(docType, {
    ...(title === undefined ? {} : { title }),
    ...(context.issuingAuthority === undefined
      ? {}
      : { issuingAuthority: context.issuingAuthority }),
  })
  doc.transact(() => {
    for (const [key, value] of Object.entries(template.meta)) {
      const current = meta.get(key)
      // Keep what the drafter already filled in; the template only fills the gaps.
      const filled = Array.isArray(current)
        ? current.length > 0
        : current !== undefined && current !== ''
      if (!filled || key === 'docType') {
        meta.set(key, Array.isArray(value) ? [...value] : value)
      }
    }
    body.delete(0, body.length)
    body.insert(
      0,
      template.blocks.map((block) => {
        const element = new Y.XmlElement(block.type)
        if (block.type === 'heading') {
          const withLevel: Y.XmlElement<Record<string, string | number>> = element
          withLevel.setAttribute('level', block.level)
        }
        element.insert(0, [new Y.XmlText(block.text)])
        return element
      }),
    )
  }, META_ORIGIN)
  return true
}
