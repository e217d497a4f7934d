/**
 * 发文字号 (GB/T 9704 §7.2.4): 机关代字 + 〔year〕 + serial + 号, e.g. 鲁政办发〔2026〕1号 — the full year
 * inside 〔〕, no leading zeros, no 第. Numbers restart each year (the Asia/Shanghai year of the
 * 编号 time), except 命令 (令), whose 令号 (第×号) run on across years: {@link documentNumberCounter}
 * names the register counter a document draws from.
 *
 * @example
 *   formatDocumentNumber('鲁政办发', 2026, 1) // '鲁政办发〔2026〕1号'
 *   parseDocumentNumber('鲁政办发〔2026〕1号') // { agencyCode: '鲁政办发', year: 2026, serial: 1 }
 */
import type { DocTypeId } from '../gongwen/docTypes'
import { shanghaiYear } from './shanghaiTime'

/** The parts of a 发文字号. */
export interface DocumentNumberParts {
  /** 机关代字, e.g. 鲁政办发. */
  readonly agencyCode: string
  readonly year: number
  /** 顺序号, from 1. */
  readonly serial: number
}

const AGENCY_CODE = /^[^\s〔〕[\]()（）0-9]{1,20}$/u

/** @returns whether a 机关代字 is usable (1–20 characters, no spaces, brackets or digits). */
export function isAgencyCode(code: string): boolean {
  return AGENCY_CODE.test(code)
}

/**
 * @returns the 发文字号, e.g. 鲁政办发〔2026〕1号
 * @throws RangeError for an unusable 机关代字, a year outside 1000–9999 or a serial below 1
 */
export function formatDocumentNumber(agencyCode: string, year: number, serial: number): string {
  if (!isAgencyCode(agencyCode)) {
    throw new RangeError(`机关代字无效: ${agencyCode}`)
  }
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`年份无效: ${year}`)
  }
  if (!Number.isSafeInteger(serial) || serial < 1) {
    throw new RangeError(`顺序号无效: ${serial}`)
  }
  return `${agencyCode}〔${year}〕${serial}号`
}

/** @returns the parts of a well-formed 发文字号, or null (wrong brackets, leading zeros, 第, …). */
export function parseDocumentNumber(text: string): DocumentNumberParts | null {
  const match = /^(.+)〔([1-9]\d{3})〕([1-9]\d*)号$/u.exec(text)
  if (match === null) {
    return null
  }
  const [, agencyCode = '', year = '', serial = ''] = match
  const parts = { agencyCode, year: Number(year), serial: Number(serial) }
  return isAgencyCode(agencyCode) && Number.isSafeInteger(parts.serial) ? parts : null
}

/** @returns a 令号: 第1号. @throws RangeError for a serial below 1 */
export function formatOrderNumber(serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 1) {
    throw new RangeError(`令号无效: ${serial}`)
  }
  return `第${serial}号`
}

/** @returns the serial of a 令号 (第12号 → 12), or null. */
export function parseOrderNumber(text: string): number | null {
  const match = /^第([1-9]\d*)号$/u.exec(text)
  return match === null ? null : Number(match[1])
}

/** How a register counter runs. */
export type CounterKind =
  /** Restarts at 1 each Asia/Shanghai year. */
  | 'yearly'
  /** Runs on across years (命令/令). */
  | 'running'

/** The register counter a document draws its number from. */
export interface NumberCounter {
  /** Key of the counter row: `<unitId>/<agencyCode>/<year>` or `<unitId>/order`. */
  readonly key: string
  readonly kind: CounterKind
  /** The year printed in 〔〕 (yearly counters). */
  readonly year?: number
}

/**
 * @param input the document's unit, its 机关代字, its 文种 and the 编号 time (ISO)
 * @returns the counter it draws from: yearly per unit and 机关代字, or the running 令 counter
 */
export function documentNumberCounter(input: {
  readonly unitId: string
  readonly agencyCode: string
  readonly docType: DocTypeId
  readonly numberedAt: string
}): NumberCounter {
  if (input.docType === 'order') {
    return { key: `${input.unitId}/order`, kind: 'running' }
  }
  const year = shanghaiYear(input.numberedAt)
  return { key: `${input.unitId}/${input.agencyCode}/${year}`, kind: 'yearly', year }
}

/**
 * @returns the text of the n-th number of a counter: 第n号 for 令, else 机关代字〔year〕n号
 */
export function formatCounterNumber(
  counter: NumberCounter,
  agencyCode: string,
  serial: number,
): string {
  return counter.kind === 'running' || counter.year === undefined
    ? formatOrderNumber(serial)
    : formatDocumentNumber(agencyCode, counter.year, serial)
}
