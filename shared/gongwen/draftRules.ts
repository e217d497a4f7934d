/**
 * What a draft must not go out with: a missing 发文字号 where the 文种 carries one, and template
 * placeholders left standing (××××, ＸＸ). Both are warnings: a draft goes through 编号, which
 * fills the 发文字号, and a template is filled in over several sittings.
 */
import { docTypeById } from './docTypes'
import type { GongwenMeta, MetaKey } from './meta'
import type { BodyBlock, Violation } from './violations'

/**
 * Two or more placeholder crosses or letters in a row: × (U+00D7), ✕, Ｘ/ｘ (full width), and X/x
 * not inside a Latin word (so "XXL" or "xx-large" stay clean).
 */
const PLACEHOLDER = /[×✕ＸｘXx]{2,}/gu
const LATIN_AROUND = /[A-Za-z-]/

/** Meta fields a template fills with placeholders, in form order. */
const TEXT_FIELDS = [
  'title',
  'issuingAuthority',
  'documentNumber',
  'mainRecipients',
  'ccRecipients',
  'printingAuthority',
] as const satisfies readonly MetaKey[]

/** @returns each placeholder run in `text` with its offset */
export function placeholderRuns(text: string): { offset: number; run: string }[] {
  const runs: { offset: number; run: string }[] = []
  for (const match of text.matchAll(PLACEHOLDER)) {
    const run = match[0]
    const offset = match.index
    const latin = /[Xx]/.test(run) && !/[×✕Ｘｘ]/.test(run)
    if (
      latin &&
      (LATIN_AROUND.test(text[offset - 1] ?? '') ||
        LATIN_AROUND.test(text[offset + run.length] ?? ''))
    ) {
      continue
    }
    runs.push({ offset, run })
  }
  return runs
}

/**
 * 发文字号: every 文种 printed in the 文件, 信函 or 命令 format carries one (命令: its 令号); a 纪要
 * does not (GB/T 9704 §10).
 */
export function checkDocumentNumberPresent(m: GongwenMeta): Violation[] {
  const type = docTypeById(m.docType)
  if (type === undefined || type.format === 'minutes' || m.documentNumber.trim() !== '') {
    return []
  }
  const order = type.format === 'order'
  return [
    {
      code: 'document_number_missing',
      severity: 'warning',
      message: order
        ? '命令应标注令号，如“第5号”'
        : `${type.zh}应标注发文字号，如“鲁政发〔2023〕5号”；走发文流程的，编号环节会自动填写`,
      messageEn: order
        ? 'An order carries its number, e.g. 第5号.'
        : `A ${type.en.toLowerCase()} carries a document number such as 鲁政发〔2023〕5号; the numbering stage of the outgoing flow fills it in.`,
      target: { kind: 'meta', field: 'documentNumber' },
      text: {
        key: order ? 'orderNumberMissing' : 'documentNumberMissing',
        params: { docType: type.zh, docTypeEn: type.en.toLowerCase() },
      },
    },
  ]
}

const one = (run: string): Violation['text'] => ({ key: 'placeholderLeft', params: { run } })

/** Placeholders left from a template (××××, ＸＸ) in the meta's text fields. */
export function checkMetaPlaceholders(m: GongwenMeta): Violation[] {
  const found: Violation[] = []
  for (const field of TEXT_FIELDS) {
    for (const { offset, run } of placeholderRuns(m[field])) {
      found.push({
        code: 'placeholder_left',
        severity: 'warning',
        message: `“${run}”是模板占位符，请替换为实际内容`,
        messageEn: `“${run}” is a template placeholder: replace it with the real text.`,
        target: { kind: 'meta', field, offset, length: run.length },
        text: one(run),
      })
    }
  }
  return found
}

/** Placeholders left from a template (××××, ＸＸ) in the body. */
export function checkBodyPlaceholders(blocks: readonly BodyBlock[]): Violation[] {
  const found: Violation[] = []
  for (const block of blocks) {
    for (const { offset, run } of placeholderRuns(block.text)) {
      found.push({
        code: 'placeholder_left',
        severity: 'warning',
        message: `“${run}”是模板占位符，请替换为实际内容`,
        messageEn: `“${run}” is a template placeholder: replace it with the real text.`,
        target: { kind: 'body', block: block.index, offset, length: run.length },
        text: one(run),
      })
    }
  }
  return found
}
