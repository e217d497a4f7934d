/**
 * The 套用模板 offer on a blank body: fills the document with the template of its 文种 (通知 when
 * none is set), keeping the title.
 */
import { computed } from 'vue'
import type { ComputedRef } from 'vue'
import type * as Y from 'yjs'
import { docTypeById, isDocTypeId } from '../../../../../shared/gongwen/docTypes'
import { applyTemplate } from '../gongwen/pageview/applyTemplate'

/** What the view binds to. */
export interface TemplateApply {
  /** The 文种 named on the offer. */
  readonly templateLabel: ComputedRef<string>
  /** Applies the template. */
  startTemplate(): void
}

/**
 * @param doc the open document, if any
 * @param docType the `meta.docType` of the room
 * @param title the document's title
 */
export function useTemplateApply(options: {
  doc: () => Y.Doc | null
  docType: () => string
  title: () => string | undefined
}): TemplateApply {
  const templateLabel = computed(() => docTypeById(options.docType())?.zh ?? '')

  function startTemplate(): void {
    const doc = options.doc()
    if (doc === null) {
      return
    }
    const docType = options.docType()
    applyTemplate(doc, isDocTypeId(docType) ? docType : 'notice', { title: options.title() })
  }

  return { templateLabel, startTemplate }
}
