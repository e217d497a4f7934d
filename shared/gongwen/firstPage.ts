/**
 * Estimates how much of page 1 the 版头, title and 主送机关 take, on the 22 × 28 grid, so the checker
 * can tell when no body text would show on the first page (GB/T 9704 §7.3: 首页必须显示正文).
 */
import { docTypeById } from './docTypes'
import { HEADER_LINES, LAYOUT, LINE_PITCH_MM, TITLE_CHARS_PER_LINE } from './layout'
import type { GongwenMeta } from './meta'

/** The estimate: grid lines used before the body, and lines left for body text on page 1. */
export interface FirstPageEstimate {
  readonly headerLines: number
  readonly bodyLines: number
}

/** @returns how many masthead lines the issuing authorities need (joint issues stack names). */
function mastheadLines(authority: string): number {
  const names = authority.split(/[、\n]+/).filter((name) => name.trim() !== '')
  return Math.max(1, names.length) * HEADER_LINES.mastheadPerLine
}

function textLines(text: string, perLine: number): number {
  const length = [...text.trim()].length
  return length === 0 ? 0 : Math.ceil(length / perLine)
}

/** @returns the first-page estimate for a document's meta. */
export function estimateFirstPage(meta: GongwenMeta): FirstPageEstimate {
  const format = docTypeById(meta.docType)?.format ?? 'standard'
  const upward = docTypeById(meta.docType)?.direction === 'upward'
  const signers = meta.signers.filter((s) => s.trim() !== '').length
  // 发文字号 sits level with the last line of 签发人 names (two names a line) on upward documents.
  const numberLines = upward && signers > 0 ? Math.ceil(signers / 2) : 1
  const titleLines = Math.max(1, textLines(meta.title, TITLE_CHARS_PER_LINE))
  const recipients = meta.mainRecipients.trim()
  // 主送机关 ends with a full-width colon, one more character.
  const recipientLines =
    recipients === ''
      ? 0
      : HEADER_LINES.blankBeforeRecipients + textLines(`${recipients}：`, LAYOUT.charsPerLine)
  let header: number
  switch (format) {
    case 'order':
      // ××××令 20 mm down, 空二行, 令号, 空二行, then the body (no title, no 主送).
      header =
        LAYOUT.mastheadOffset.order / LINE_PITCH_MM +
        mastheadLines(meta.issuingAuthority) +
        HEADER_LINES.blankBeforeNumber +
        1 +
        2
      break
    case 'letter': {
      // The masthead starts 30 mm from the paper's edge, in the top margin; the double rule
      // 4 mm under it; 发文字号 on the first line under the rule; the title two lines lower.
      const mastheadBottomMm =
        LAYOUT.letterMastheadFromPaperTop +
        mastheadLines(meta.issuingAuthority) * LINE_PITCH_MM +
        LAYOUT.separatorBelowNumber -
        LAYOUT.margins.top
      header =
        Math.max(0, mastheadBottomMm / LINE_PITCH_MM) +
        1 +
        HEADER_LINES.blankBeforeTitle +
        titleLines +
        recipientLines
      break
    }
    case 'standard':
    case 'minutes':
      header =
        LAYOUT.mastheadOffset.standard / LINE_PITCH_MM +
        mastheadLines(meta.issuingAuthority) +
        HEADER_LINES.blankBeforeNumber +
        numberLines +
        HEADER_LINES.separator +
        HEADER_LINES.blankBeforeTitle +
        titleLines +
        recipientLines
      break
  }
  return { headerLines: header, bodyLines: Math.max(0, Math.floor(LAYOUT.linesPerPage - header)) }
}
