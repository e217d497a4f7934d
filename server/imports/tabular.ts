/**
 * Reads spreadsheets into rows of strings: CSV (RFC 4180, UTF-8 with or without BOM) and XLSX.
 * exceljs (some 25 MB once loaded) is imported on the first XLSX file, not when the relay starts.
 */
import type ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'

/**
 * @returns the rows of a CSV text (RFC 4180 by csv-parse): quoted fields may hold commas, quotes ("")
 *   and line breaks; a UTF-8 BOM is dropped; rows may differ in length; blank rows are skipped.
 * @throws CsvError on malformed CSV (an unclosed quote, a quote inside an unquoted field)
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Files edited on several systems mix line ends.
    record_delimiter: ['\r\n', '\n', '\r'],
  })
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''))
}

/** @returns the rows of the first worksheet of an XLSX file, every cell as text. */
export async function parseXlsx(data: Uint8Array): Promise<string[][]> {
  const { Workbook } = (await import('exceljs')).default
  const workbook = new Workbook()
  // reason: exceljs types want a Node Buffer of its own declared shape; a Buffer view is what it reads.
  await workbook.xlsx.load(
    Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as ExcelJS.Buffer,
  )
  const sheet = workbook.worksheets[0]
  if (sheet === undefined) {
    return []
  }
  const rows: string[][] = []
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = []
    for (let c = 1; c <= row.cellCount; c++) {
      cells.push(row.getCell(c).text ?? '')
    }
    rows.push(cells)
  })
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''))
}

/**
 * Makes a CSV cell safe to open in a spreadsheet: quotes it, and neutralises a leading
 * = + - @ tab or carriage return (formula injection, OWASP CSV injection) with a leading apostrophe.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`
  }
  return `"${text.replace(/"/g, '""')}"`
}

/** @returns a CSV document (UTF-8 BOM so Excel reads Chinese correctly, CRLF lines). */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
