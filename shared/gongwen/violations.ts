/** What the GB/T 9704 checker reports: a violation, how bad it is, and where to jump to fix it. */
import type { MetaKey } from './meta'

/** How bad a violation is. */
export type Severity =
  /** Breaks GB/T 9704 or a rule of the system; must be fixed before issue. */
  | 'error'
  /** Worth a second look (length guard, a likely mistake). */
  | 'warning'

/** Machine codes of violations, stable for tests and the UI. */
export type ViolationCode =
  /** 密级 marks the document classified: refused (机要 channel only). */
  | 'classified'
  /** 密级 holds something other than `none`. */
  | 'classification_invalid'
  /** 发文字号 (or 令号) does not have the 机关代字〔年份〕序号号 form. */
  | 'document_number_form'
  /** The year of the 发文字号 is not in 六角括号 〔〕. */
  | 'document_number_brackets'
  /** The 发文字号's number has leading zeros (05号). */
  | 'document_number_leading_zero'
  /** The 发文字号 writes 第 before the number. */
  | 'document_number_di'
  /** A date is not written as 2023年5月6日. */
  | 'date_form'
  /** A date's month or day has a leading zero (2023年05月06日). */
  | 'date_leading_zero'
  /** A date does not exist (2023年2月30日). */
  | 'date_invalid'
  /** The 印发日期 is before the 成文日期. */
  | 'print_date_before_written'
  /** 份号 is not six digits. */
  | 'copy_number_form'
  /** An attachment name ends with punctuation. */
  | 'attachment_punctuation'
  /** Attachments are numbered other than 1. 2. 3. in order. */
  | 'attachment_numbering'
  /** 附件 is followed by a half-width colon. */
  | 'attachment_colon'
  /** The 版头, title and 主送 fill page 1: no body text would show on it. */
  | 'first_page_no_body'
  /** The body is longer than the length guard allows. */
  | 'length_exceeded'
  /** A heading number is written in the wrong form ((一) for （一）, 1、 for 1.). */
  | 'heading_form'
  /** Heading numbers skip or repeat (一、 then 三、). */
  | 'heading_sequence'
  /** An upward document (请示, 报告, 议案) has no 签发人. */
  | 'signer_missing'
  /** A 请示 has more than one 主送机关. */
  | 'request_recipients'
  /** A 报告 asks for instructions (请示 matters belong in a 请示). */
  | 'report_contains_request'
  /** The title does not end with the 文种. */
  | 'title_doc_type'
  /** The 文种 carries a 发文字号 (命令: a 令号) and none is written. */
  | 'document_number_missing'
  /** A template placeholder (××××, ＸＸ) is left in the text. */
  | 'placeholder_left'

/** Where a violation is: a meta field (optionally a list item or a span of it) or a body span. */
export type ViolationTarget =
  | {
      readonly kind: 'meta'
      readonly field: MetaKey
      /** Index into a list field (signers, attachments). */
      readonly item?: number
      readonly offset?: number
      readonly length?: number
    }
  | {
      readonly kind: 'body'
      /** `index` of the block. */
      readonly block: number
      /** Character offset in the block's text. */
      readonly offset: number
      readonly length: number
    }

/**
 * A violation's message as a key and its parameters, for a client that translates it
 * (`gongwen.violations.<key>` in the renderer), where `message`/`messageEn` are ready-made texts.
 */
export interface ViolationText {
  readonly key: string
  readonly params: Readonly<Record<string, string | number>>
}

/** One finding of the checker. */
export interface Violation {
  readonly code: ViolationCode
  readonly severity: Severity
  /** What is wrong and how to fix it, in Chinese. */
  readonly message: string
  /** The same in English. */
  readonly messageEn: string
  readonly target: ViolationTarget
  /** The message as a translation key with its parameters (the checker always sets it). */
  readonly text?: ViolationText
}

/** One block of the body as plain text: a paragraph, heading, list item or table cell paragraph. */
export interface BodyBlock {
  /** Position of the block in the body (stable for jump-to). */
  readonly index: number
  /** The editor node type (paragraph, heading, …). */
  readonly type: string
  /** Heading level, for headings. */
  readonly level?: number
  readonly text: string
}
