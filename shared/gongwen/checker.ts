/**
 * The live GB/T 9704 checker: a pure function of a document's meta and its body as plain blocks,
 * listing each violation with where to jump to fix it.
 *
 * @example
 *   checkDocument(readMeta(metaMap.toJSON()), blocks)
 *     .map((v) => v.code) // ['document_number_leading_zero', 'date_form']
 */
import { estimateFirstPage } from './firstPage'
import {
  checkAttachmentEntries,
  checkClassification,
  checkCopyNumber,
  checkDate,
  checkDateOrder,
  checkDocumentNumber,
  checkTypeRules,
} from './metaRules'
import {
  checkAttachmentNote,
  checkHeadings,
  checkLength,
  checkReportHasNoRequest,
} from './bodyRules'
import {
  checkBodyPlaceholders,
  checkDocumentNumberPresent,
  checkMetaPlaceholders,
} from './draftRules'
import type { DocumentScope } from './bodyRules'
import type { GongwenMeta } from './meta'
import type { BodyBlock, Violation } from './violations'

export type {
  BodyBlock,
  Violation,
  ViolationCode,
  ViolationTarget,
  ViolationText,
  Severity,
} from './violations'

/** Options of the checker. */
export interface CheckOptions {
  /** Comprehensive (5000 characters) or single-topic (4000); unknown warns past 4000. */
  readonly scope?: DocumentScope
}

/** @returns whether any block carries text. */
function hasText(blocks: readonly BodyBlock[]): boolean {
  return blocks.some((block) => block.text.trim() !== '')
}

/** Page 1 shows at least one line of body text. */
function checkFirstPage(meta: GongwenMeta, blocks: readonly BodyBlock[]): Violation[] {
  const estimate = estimateFirstPage(meta)
  if (estimate.bodyLines >= 1 || !hasText(blocks)) {
    return []
  }
  const field =
    [...meta.mainRecipients].length > [...meta.title].length ? 'mainRecipients' : 'title'
  return [
    {
      code: 'first_page_no_body',
      severity: 'error',
      message: '首页必须显示正文：版头、标题和主送机关已占满首页，请精简标题或主送机关',
      messageEn: 'Page 1 must show body text: shorten the title or the main recipients.',
      target: { kind: 'meta', field },
      text: { key: 'firstPageNoBody', params: {} },
    },
  ]
}

/**
 * Checks a document against GB/T 9704 and the 公文 rules of the system.
 * @param meta the document's meta (see `readMeta`)
 * @param blocks the body's text blocks in order
 * @returns the violations, meta fields first (in form order), then the body in reading order
 */
export function checkDocument(
  meta: GongwenMeta,
  blocks: readonly BodyBlock[],
  options: CheckOptions = {},
): Violation[] {
  const found: Violation[] = [
    ...checkClassification(meta),
    ...checkTypeRules(meta),
    ...checkCopyNumber(meta),
    ...checkDocumentNumberPresent(meta),
    ...checkDocumentNumber(meta),
    ...checkAttachmentEntries(meta),
    ...checkDate('writtenDate', meta.writtenDate),
    ...checkDate('printDate', meta.printDate),
    ...checkDateOrder(meta),
    ...checkMetaPlaceholders(meta),
    ...checkFirstPage(meta, blocks),
    ...checkHeadings(blocks),
    ...checkAttachmentNote(blocks),
    ...(meta.docType === 'report' ? checkReportHasNoRequest(blocks) : []),
    ...checkLength(blocks, options.scope ?? 'unknown'),
    ...checkBodyPlaceholders(blocks),
  ]
  return found
}
