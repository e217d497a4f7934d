/**
 * 公文 Word and PDF through the real web client and relay: the PDF of the print view (Chromium's
 * print, as on the web) holds the 发文字号 and the title and its first page is rendered for a look;
 * the DOCX export converts in LibreOffice with its text intact; a .docx with headings, a table and
 * lists imports into a new document with the same structure (but not the 发文字号 and 印发日期 the
 * approval flow fills: the seeded documents get them from the server, as 编号 and 分发 would).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx'
import { templateFor } from '../../shared/gongwen/templates'
import { seedFromTemplate } from '../../shared/gongwen/yBody'
import {
  SCREENSHOT_DIR,
  editorBody,
  loginThroughUi,
  newUser,
  openDocument,
  waitForSyncState,
} from '../utils/browser'
import type { E2EApp, E2EUser } from '../utils/e2eApp'
import { connect, synced } from '../utils/yclient'
import { fillAsFlow } from '../utils/gongwenDraft'
import { useE2E } from './setup'

const OUT = path.join(SCREENSHOT_DIR, 'gongwen-export')
const TITLE = '山东省人民政府办公厅关于做好2024年春节期间值班工作的通知'
const NUMBER = '鲁政办发〔2024〕3号'
/** Body lengths (one-line paragraphs) around the end of page 1 under a masthead, title and 主送. */
const FIRST_PAGE_LINES = { from: 2, to: 6 }

/**
 * Writes a 通知 from its template into the document's room, as a drafter's client would, and its
 * 发文字号 and 印发日期 as the flow would.
 */
async function draftNotice(app: E2EApp, user: E2EUser, documentId: string): Promise<void> {
  const client = connect(app.relay.wsUrl, `doc:${documentId}`, user.token)
  await synced(client)
  const template = templateFor('notice', { issuingAuthority: '山东省人民政府办公厅', title: TITLE })
  seedFromTemplate(client.doc, {
    meta: {
      ...template.meta,
      copyNumber: '000123',
      urgency: '特急',
      mainRecipients: '各市人民政府，省政府各部门、各直属机构',
      attachments: ['春节期间值班安排表'],
      writtenDate: '2024年1月26日',
      ccRecipients: '省委各部门，省人大常委会办公厅，省政协办公厅',
    },
    blocks: [
      {
        type: 'paragraph',
        text: '为做好2024年春节期间值班工作，确保各项工作平稳有序，现将有关事项通知如下：',
      },
      { type: 'heading', level: 1, text: '一、高度重视值班工作' },
      {
        type: 'paragraph',
        text: '各单位要充分认识做好节日期间值班工作的重要性，切实加强组织领导，严格落实领导带班和24小时值班制度，确保信息畅通、反应迅速、处置有力。',
      },
      { type: 'heading', level: 2, text: '（一）加强组织领导。' },
      {
        type: 'paragraph',
        text: '各单位主要负责同志要亲自过问，分管负责同志要具体抓，层层压实责任。',
      },
      { type: 'heading', level: 1, text: '二、严格值班纪律' },
      {
        type: 'paragraph',
        text: '值班人员要坚守岗位，保持通讯畅通，遇有重大突发事件要第一时间报告，不得迟报、漏报、瞒报。',
      },
      { type: 'paragraph', text: '特此通知。' },
    ],
  })
  await fillAsFlow(app, documentId, { documentNumber: NUMBER, printDate: '2024年1月26日' })
  await new Promise((resolve) => setTimeout(resolve, 500))
  client.destroy()
}

/** Writes a 通知 of `lines` one-line paragraphs with 附件说明, signature and 版记 into the room. */
async function draftLines(
  app: E2EApp,
  user: E2EUser,
  documentId: string,
  lines: number,
): Promise<void> {
  const client = connect(app.relay.wsUrl, `doc:${documentId}`, user.token)
  await synced(client)
  const template = templateFor('notice', {
    issuingAuthority: '山东省人民政府办公厅',
    title: '值班安排',
  })
  seedFromTemplate(client.doc, {
    meta: {
      ...template.meta,
      mainRecipients: '各市人民政府',
      attachments: ['值班表'],
      writtenDate: '2024年1月25日',
      ccRecipients: '省委各部门',
    },
    blocks: Array.from({ length: lines }, (_, index) => ({
      type: 'paragraph' as const,
      text: `第${index + 1}项工作已安排。`,
    })),
  })
  await fillAsFlow(app, documentId, { documentNumber: NUMBER, printDate: '2024年1月26日' })
  await new Promise((resolve) => setTimeout(resolve, 500))
  client.destroy()
}

/** Prints the document's print view to a PDF file, as Chromium's print does on the web. */
async function printPdf(page: Page, baseUrl: string, documentId: string, file: string) {
  await page.goto(`${baseUrl}/documents/${documentId}/print`)
  await page.locator('[data-testid="print-view"][data-ready="true"]').waitFor({ timeout: 20_000 })
  await page.emulateMedia({ media: 'print' })
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true })
  await page.emulateMedia({ media: 'screen' })
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

describe('公文 Word and PDF', () => {
  const e2e = useE2E()
  let drafter: E2EUser
  let documentId: string

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true })
    drafter = await e2e.app.createUser('wang.fang', '王芳')
    documentId = await drafter.api.createDocument(TITLE)
    await draftNotice(e2e.app, drafter, documentId)
  })

  test('the PDF of the print view holds the 发文字号 and the title, with page numbers, on A4', async () => {
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    const file = path.join(OUT, 'notice.pdf')
    await printPdf(page, e2e.app.url, documentId, file)
    expect(await page.locator('[data-testid="print-document-number"]').textContent()).toBe(NUMBER)
    await context.close()

    const text = pdfText(file)
    const compact = text.replace(/\s+/g, '')
    expect(compact).toContain(NUMBER)
    expect(compact).toContain(TITLE)
    expect(compact).toContain('山东省人民政府办公厅文件')
    expect(compact).toContain('抄送：省委各部门')
    // Page numbers in em-dashes: page 1 (odd) and, the 版记 needing its own place, page 2.
    expect(compact).toContain('—1—')
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    // A4 in points.
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/)

    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '2',
      file,
      path.join(OUT, 'notice-page'),
    ])
    expect(fs.existsSync(path.join(OUT, 'notice-page-1.png'))).toBe(true)
  })

  test('wherever page 1 ends, the page that holds the signature holds body text too (no 此页无正文)', async () => {
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    const signaturePages: number[] = []
    for (let lines = FIRST_PAGE_LINES.from; lines <= FIRST_PAGE_LINES.to; lines++) {
      const id = await drafter.api.createDocument(`值班安排（${lines}）`)
      await draftLines(e2e.app, drafter, id, lines)
      const file = path.join(OUT, `lines-${lines}.pdf`)
      await printPdf(page, e2e.app.url, id, file)
      // pdftotext ends every page with a form feed.
      const pages = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
        .split('\f')
        .map((text) => text.replace(/\s+/g, ''))
      const at = pages.findIndex((text) => text.includes('2024年1月25日'))
      expect(at, `${lines} lines: the 成文日期`).toBeGreaterThanOrEqual(0)
      expect(pages[at], `${lines} lines: page ${at + 1}`).toMatch(/第\d+项工作已安排。/)
      expect(pages[at], `${lines} lines: 附件说明 beside the signature`).toContain('附件：值班表')
      if (at === 1) {
        // Room is left under the signature on page 2: the 版记 is at its foot, no page 3.
        expect(pages[at], `${lines} lines: the 版记`).toContain('抄送：省委各部门。')
      }
      signaturePages.push(at + 1)
    }
    await context.close()
    // The lengths span the end of page 1, so one of them is the first that no longer fits there.
    expect(signaturePages[0]).toBe(1)
    expect(signaturePages.at(-1)).toBe(2)
  })

  test('the DOCX export opens in LibreOffice headless, which converts it without error and keeps the text', async () => {
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')
    await page.locator('[data-testid="io-menu"]').click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="io-export-docx"]').click(),
    ])
    expect(download.suggestedFilename()).toBe(`${TITLE}.docx`)
    const file = path.join(OUT, 'notice.docx')
    await download.saveAs(file)
    await context.close()

    const converted = path.join(OUT, 'lo')
    fs.rmSync(converted, { recursive: true, force: true })
    // A private profile: a stale or concurrent LibreOffice profile makes soffice exit silently.
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(OUT, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        converted,
        file,
      ],
      { stdio: 'pipe', timeout: 120_000 },
    )
    const pdf = path.join(converted, 'notice.pdf')
    expect(fs.existsSync(pdf)).toBe(true)
    const compact = pdfText(pdf).replace(/\s+/g, '')
    for (const expected of [
      '山东省人民政府办公厅文件',
      NUMBER,
      TITLE,
      '各市人民政府，省政府各部门、各直属机构：',
      '一、高度重视值班工作',
      '（一）加强组织领导。',
      '特此通知。',
      '附件：春节期间值班安排表',
      '2024年1月26日',
      '抄送：省委各部门，省人大常委会办公厅，省政协办公厅。',
      '2024年1月26日印发',
      '—1—',
    ]) {
      expect(compact).toContain(expected)
    }
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '50',
      '-f',
      '1',
      '-l',
      '1',
      pdf,
      path.join(OUT, 'docx-page'),
    ])
  })

  test('importing a .docx with headings, a table and lists gives a new document with the same structure, its 公文要素 in the form', async () => {
    const fixture = path.join(OUT, 'fixture.docx')
    fs.writeFileSync(fixture, await Packer.toBuffer(fixtureDocument()))

    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    await openDocument(page, e2e.app.url, documentId)
    await page.locator('[data-testid="io-menu"]').click()
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.locator('[data-testid="io-import"]').click(),
    ])
    await chooser.setFiles(fixture)
    await page.locator('[data-testid="import-summary"]').waitFor()
    expect(await page.locator('[data-testid="import-summary"]').textContent()).toContain('1 个表格')
    const elements = (await page.locator('[data-testid="import-elements"]').textContent()) ?? ''
    for (const line of [
      '发文机关：山东省应急管理厅',
      '主送机关：各市应急管理局，省直有关部门',
      '成文日期：2024年3月1日',
      '抄送机关：应急管理部',
    ]) {
      expect(elements).toContain(line)
    }
    // 发文字号 and 印发日期 are the approval flow's (编号, 分发): recognised, not imported, and said so.
    expect(elements).not.toContain('发文字号')
    expect(elements).not.toContain('印发日期')
    expect(await page.locator('[data-testid="import-flow-skipped"]').textContent()).toContain(
      '发文字号、印发日期由审批流程填写，未导入',
    )
    await page.screenshot({ path: path.join(OUT, 'import-dialog.png') })
    await page.locator('[data-testid="import-start"]').click()

    await page.waitForURL((url) => !url.pathname.endsWith(documentId), { timeout: 20_000 })
    await editorBody(page).locator('table').waitFor()
    expect(await page.locator('[data-testid="document-title"]').textContent()).toContain(
      '关于开展安全生产大检查的通知',
    )
    const body = editorBody(page)
    expect(await body.locator(':scope > h1').allTextContents()).toEqual([
      '一、总体要求',
      '二、检查内容',
    ])
    expect(await body.locator(':scope > h2').allTextContents()).toEqual(['（一）工作目标'])
    expect(await body.locator('table tr').count()).toBe(3)
    expect(await body.locator('table tr').nth(1).locator('td, th').allTextContents()).toEqual([
      '危险化学品',
      '应急管理厅',
    ])
    expect(await body.locator(':scope > ul > li').allTextContents()).toEqual([
      '检查制度落实',
      '检查隐患整改',
    ])
    expect(await body.locator(':scope > ol > li').allTextContents()).toEqual([
      '自查自纠',
      '督导检查',
    ])
    const paragraphs = await body.locator(':scope > p').allTextContents()
    expect(paragraphs).toContain('为切实做好安全生产工作，现就有关事项通知如下：')
    // The 公文要素 are in the form, not in the body; the flow's 发文字号 is left to 编号.
    expect(await page.locator('[data-testid="meta-documentNumber"]').inputValue()).toBe('')
    expect(
      await page.locator('[data-testid="meta-documentNumber"]').getAttribute('placeholder'),
    ).toBe('编号后由流程填写')
    expect(await page.locator('[data-testid="meta-writtenDate"]').inputValue()).toBe('2024年3月1日')
    for (const element of ['山东省应急管理厅文件', '鲁应急发〔2024〕8号', '2024年3月1日']) {
      expect(paragraphs.join('\n')).not.toContain(element)
    }

    // The relay holds the same structure: a colleague's raw client reads it from the room.
    const newId = new URL(page.url()).pathname.split('/').pop() ?? ''
    await context.close()
    const client = connect(e2e.app.relay.wsUrl, `doc:${newId}`, drafter.token)
    await synced(client)
    const nodes = client.doc
      .getXmlFragment('body')
      .toArray()
      .filter((node) => node instanceof Y.XmlElement)
    const names = nodes.map((node) => node.nodeName)
    // The editor keeps an empty paragraph after a closing list (TipTap's trailing node).
    const trailing = nodes.slice(8)
    const meta = client.doc.getMap('meta').toJSON()
    client.destroy()
    expect(meta).toMatchObject({
      title: '关于开展安全生产大检查的通知',
      issuingAuthority: '山东省应急管理厅',
      mainRecipients: '各市应急管理局，省直有关部门',
      writtenDate: '2024年3月1日',
      ccRecipients: '应急管理部',
      printingAuthority: '山东省应急管理厅办公室',
    })
    // Empty defaults only (the relay lets a client set an empty flow key to its empty default).
    expect(meta['documentNumber'] ?? '').toBe('')
    expect(meta['printDate'] ?? '').toBe('')
    expect(meta['signers'] ?? []).toEqual([])
    expect(names.slice(0, 8)).toEqual([
      'paragraph',
      'heading',
      'heading',
      'paragraph',
      'table',
      'heading',
      'bulletList',
      'orderedList',
    ])
    expect(trailing.every((node) => node.nodeName === 'paragraph' && node.length === 0)).toBe(true)
  })
})

/** A Word document with a title, two heading levels, a table and both kinds of list. */
function fixtureDocument(): Document {
  const p = (text: string): Paragraph => new Paragraph({ children: [new TextRun(text)] })
  const cell = (text: string): TableCell => new TableCell({ children: [p(text)] })
  return new Document({
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START },
          ],
        },
      ],
    },
    sections: [
      {
        children: [
          // The 版头 as a drafter types it in Word: masthead and number lines, then the title.
          p('山东省应急管理厅文件'),
          p('鲁应急发〔2024〕8号'),
          new Paragraph({
            heading: HeadingLevel.TITLE,
            children: [new TextRun('关于开展安全生产大检查的通知')],
          }),
          p('各市应急管理局，省直有关部门：'),
          p('为切实做好安全生产工作，现就有关事项通知如下：'),
          new Paragraph({
            heading: HeadingLevel.HEADING_1,
            children: [new TextRun('一、总体要求')],
          }),
          new Paragraph({
            heading: HeadingLevel.HEADING_2,
            children: [new TextRun('（一）工作目标')],
          }),
          p('全面排查整治各类安全隐患。'),
          new Table({
            rows: [
              new TableRow({ children: [cell('行业'), cell('牵头单位')] }),
              new TableRow({ children: [cell('危险化学品'), cell('应急管理厅')] }),
              new TableRow({ children: [cell('道路交通'), cell('公安厅')] }),
            ],
          }),
          new Paragraph({
            heading: HeadingLevel.HEADING_1,
            children: [new TextRun('二、检查内容')],
          }),
          new Paragraph({ bullet: { level: 0 }, children: [new TextRun('检查制度落实')] }),
          new Paragraph({ bullet: { level: 0 }, children: [new TextRun('检查隐患整改')] }),
          new Paragraph({
            numbering: { reference: 'steps', level: 0 },
            children: [new TextRun('自查自纠')],
          }),
          new Paragraph({
            numbering: { reference: 'steps', level: 0 },
            children: [new TextRun('督导检查')],
          }),
          // 署名, 成文日期 and the 版记 lines.
          p('山东省应急管理厅'),
          p('2024年3月1日'),
          p('抄送：应急管理部。'),
          p('山东省应急管理厅办公室 2024年3月1日印发'),
        ],
      },
    ],
  })
}
