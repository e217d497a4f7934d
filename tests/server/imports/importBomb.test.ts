/**
 * Issue 17, finding 13 on the relay: the bulk user import measures an .xlsx by its ZIP directory
 * before inflating it, and catches a part that inflates to more than it declares, so a small
 * upload cannot make the relay unpack gigabytes. An honest workbook still imports.
 */
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { buildZip } from '../../utils/zipBomb'
import type { ApiAuditEntry } from '../../../shared/api'

let relay: TestRelay
let admin: ApiClient

beforeAll(async () => {
  relay = await startTestRelay()
  admin = await adminClient(relay)
  const province = await admin.request('POST', '/admin/units', {
    parentId: null,
    kind: 'province',
    name: '山东省',
    code: 'sd',
  })
  expect(province.status).toBe(201)
})

afterAll(async () => {
  await relay.close()
})

const XLSX_PARTS = [
  {
    name: '[Content_Types].xml',
    content:
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  },
  {
    name: '_rels/.rels',
    content:
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  },
  {
    name: 'xl/workbook.xml',
    content:
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
  },
  {
    name: 'xl/_rels/workbook.xml.rels',
    content:
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  },
]

async function upload(
  body: Uint8Array<ArrayBuffer>,
): Promise<{ status: number; message: string; ms: number }> {
  const started = Date.now()
  const response = await fetch(`${relay.url}/api/v1/admin/imports?format=xlsx`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${admin.token}`,
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    body,
  })
  const parsed = (await response.json()) as { error?: { message: string } }
  return { status: response.status, message: parsed.error?.message ?? '', ms: Date.now() - started }
}

/** @returns the largest resident set size seen while `work` runs. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; grewBy: number }> {
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  try {
    const result = await work()
    return { result, grewBy: Math.max(peak, process.memoryUsage().rss) - before }
  } finally {
    clearInterval(timer)
  }
}

describe('the bulk import refuses spreadsheet bombs', () => {
  test('an .xlsx whose directory declares a 5 GB sheet (ZIP64) is refused before it is inflated', async () => {
    const bomb = await buildZip([
      ...XLSX_PARTS,
      { name: 'xl/worksheets/sheet1.xml', content: '<worksheet/>', declareSize: 5_000_000_000 },
    ])
    const answer = await upload(new Uint8Array(bomb))
    expect(answer.status).toBe(400)
    expect(answer.message).toMatch(/解压后.*超过 128 MB/)
    const audit = await admin.request<{ entries: ApiAuditEntry[] }>(
      'GET',
      '/admin/audit?action=user.import_refused',
    )
    expect(audit.body.entries.length).toBeGreaterThan(0)
  })

  test('an .xlsx whose sheet inflates to 300 MB while declaring 1 KB is refused at once, the relay unpacking almost nothing', async () => {
    const bomb = await buildZip([
      ...XLSX_PARTS,
      {
        name: 'xl/worksheets/sheet1.xml',
        content: { repeat: ' ', times: 300_000_000 },
        declareSize: 1024,
      },
    ])
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const { result: answer, grewBy } = await peakRss(() => upload(new Uint8Array(bomb)))
    expect(answer.status).toBe(400)
    expect(answer.message).toContain('解压后')
    expect(answer.ms).toBeLessThan(3_000)
    expect(grewBy).toBeLessThan(100 * 1024 * 1024)
  })

  test('an honest workbook still imports', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('账号')
    sheet.addRow(['用户名', '姓名', '单位代码'])
    sheet.addRow(['zhao.lei', '赵磊', 'sd'])
    const body = Buffer.from(await workbook.xlsx.writeBuffer())
    const response = await fetch(`${relay.url}/api/v1/admin/imports?format=xlsx`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin.token}`,
        'content-type': 'application/octet-stream',
      },
      body,
    })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { valid: number }).valid).toBe(1)
  })
})
