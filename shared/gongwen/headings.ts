/**
 * Heading numbers of a 公文 body (GB/T 9704 §7.3.3): level 1 一、, level 2 （一）, level 3 1.,
 * level 4 （1）. Parses a paragraph's leading number, names its mistakes, and writes numbers.
 *
 * @example
 *   headingPrefix(2, 3) // '（三）'
 *   parseHeadingPrefix('(二)工作要求') // { level: 2, number: 2, wellFormed: false, expected: '（二）', … }
 */

/** A heading level: 1 一、 · 2 （一） · 3 1. · 4 （1）. */
export type HeadingLevel = 1 | 2 | 3 | 4

/** The levels in order. */
export const HEADING_LEVELS: readonly HeadingLevel[] = [1, 2, 3, 4]

/** Typefaces GB/T 9704 gives each level (level 1 黑体, level 2 楷体, levels 3–4 仿宋). */
export const HEADING_TYPEFACE: Readonly<Record<HeadingLevel, 'heiti' | 'kaiti' | 'fangsong'>> = {
  1: 'heiti',
  2: 'kaiti',
  3: 'fangsong',
  4: 'fangsong',
}

const DIGITS = '〇一二三四五六七八九'

/** @returns a number from 1 to 99 in Chinese numerals (一, 十, 十一, 二十三). */
export function toChineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) {
    throw new RangeError(`heading number out of range: ${n}`)
  }
  if (n < 10) {
    return DIGITS[n] ?? ''
  }
  const tens = Math.floor(n / 10)
  const ones = n % 10
  return `${tens === 1 ? '' : (DIGITS[tens] ?? '')}十${ones === 0 ? '' : (DIGITS[ones] ?? '')}`
}

/** @returns the value of a Chinese numeral from 一 to 九十九, or null. */
export function parseChineseNumeral(text: string): number | null {
  const match = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text)
  if (match === null || text === '') {
    return null
  }
  const [, first, ten, last] = match
  if (ten === undefined) {
    // Without 十 only a single digit is a number.
    return first !== undefined && last === undefined ? DIGITS.indexOf(first) : null
  }
  const tens = first === undefined ? 1 : DIGITS.indexOf(first)
  const ones = last === undefined ? 0 : DIGITS.indexOf(last)
  return tens * 10 + ones
}

/** @returns the well-formed number of a heading at `level` (n from 1 to 99). */
export function headingPrefix(level: HeadingLevel, n: number): string {
  switch (level) {
    case 1:
      return `${toChineseNumeral(n)}、`
    case 2:
      return `（${toChineseNumeral(n)}）`
    case 3:
      return `${n}.`
    case 4:
      return `（${n}）`
  }
}

/** A heading number found at the start of a paragraph. */
export interface HeadingPrefix {
  readonly level: HeadingLevel
  readonly number: number
  /** The number as written, e.g. "(二)". */
  readonly written: string
  /** Whether it is written the way GB/T 9704 writes it. */
  readonly wellFormed: boolean
  /** The well-formed way to write it. */
  readonly expected: string
}

const CN = '[一二三四五六七八九十]{1,3}'
const AR = '[0-9]{1,2}'
// Each pattern: level, regex, and how to read the number. Well-formed forms first.
const PATTERNS: readonly { level: HeadingLevel; re: RegExp; chinese: boolean }[] = [
  // Level 2 before level 1: "（一）、" must not read as level 1.
  { level: 2, re: new RegExp(`^[（(]\\s*(${CN})\\s*[）)][、.．，,]?`), chinese: true },
  { level: 4, re: new RegExp(`^[（(]\\s*(${AR})\\s*[）)][、.．，,]?`), chinese: false },
  { level: 1, re: new RegExp(`^(${CN})\\s*[、.．，,]`), chinese: true },
  // "1.5亿元" and "2023年" are not headings: the separator must not be followed by a digit.
  { level: 3, re: new RegExp(`^(${AR})\\s*[.．、，,](?![0-9])`), chinese: false },
]

/** @returns the heading number at the start of `text`, or null when it starts with none. */
export function parseHeadingPrefix(text: string): HeadingPrefix | null {
  const trimmed = text.replace(/^[\s\u3000]+/, '')
  for (const { level, re, chinese } of PATTERNS) {
    const match = re.exec(trimmed)
    const digits = match?.[1]
    if (match === null || digits === undefined) {
      continue
    }
    const number = chinese ? parseChineseNumeral(digits) : Number(digits)
    if (number === null || number < 1) {
      continue
    }
    const expected = headingPrefix(level, number)
    // 1．(full-width point) is common in print and reads the same; accept it for level 3.
    const written = match[0]
    const wellFormed = written === expected || (level === 3 && written === `${number}．`)
    return { level, number, written, wellFormed, expected }
  }
  return null
}

/**
 * Numbers a run of headings: given each heading's level, returns the prefix each should carry.
 * A deeper level restarts under each new parent; skipping a level down (一、 then 1.) is allowed.
 */
export function numberHeadings(levels: readonly HeadingLevel[]): string[] {
  const counters = [0, 0, 0, 0, 0]
  return levels.map((level) => {
    counters[level] = (counters[level] ?? 0) + 1
    for (let deeper = level + 1; deeper <= 4; deeper++) {
      counters[deeper] = 0
    }
    return headingPrefix(level, counters[level] ?? 1)
  })
}
