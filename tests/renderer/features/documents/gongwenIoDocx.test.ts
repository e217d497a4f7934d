import { describe, expect, test } from 'vitest'
import JSZip from 'jszip'
import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx'
import type { JSONContent } from '@tiptap/core'
import { DEFAULT_META } from '../../../../shared/gongwen/meta'
import { bodySchema } from '../../../../renderer/src/features/documents/gongwen/io/bodySchema'
import { exportDocx } from '../../../../renderer/src/features/documents/gongwen/io/docxExport'
import {
  DocxImportError,
  MAX_DOCX_BYTES,
  readDocx,
} from '../../../../renderer/src/features/documents/gongwen/io/docxImport'
import { htmlToBody } from '../../../../renderer/src/features/documents/gongwen/io/htmlToBody'
import { fillEmptyMeta } from '../../../../renderer/src/features/documents/gongwen/io/applyImport'
import * as Y from 'yjs'

const text = (value: string): JSONContent => ({ type: 'text', text: value })
const paragraph = (value: string): JSONContent => ({ type: 'paragraph', content: [text(value)] })
const heading = (level: number, value: string): JSONContent => ({
  type: 'heading',
  attrs: { level },
  content: [text(value)],
})
const item = (value: string): JSONContent => ({ type: 'listItem', content: [paragraph(value)] })

/** The shape of a body: node names, heading levels, and the text of text blocks. */
function outline(json: JSONContent): unknown[] {
  return (json.content ?? []).map((node) => {
    switch (node.type) {
      case 'heading':
        return `h${String(node.attrs?.level)}:${plain(node)}`
      case 'paragraph':
        return `p:${plain(node)}`
      case 'bulletList':
      case 'orderedList':
        return { [node.type]: (node.content ?? []).map(plain) }
      case 'table':
        return {
          table: (node.content ?? []).map((row) =>
            (row.content ?? []).map(
              (cell) => `${cell.type === 'tableHeader' ? 'th' : 'td'}:${plain(cell)}`,
            ),
          ),
        }
      default:
        return node.type
    }
  })
}

function plain(node: JSONContent): string {
  return node.text ?? (node.content ?? []).map(plain).join('')
}

const BODY: JSONContent = {
  type: 'doc',
  content: [
    paragraph('为做好值班工作，现将有关事项通知如下：'),
    heading(1, '一、高度重视'),
    heading(2, '（一）加强领导。'),
    paragraph('各单位要切实加强组织领导。'),
    { type: 'bulletList', content: [item('加强领导'), item('落实责任')] },
    { type: 'orderedList', content: [item('自查'), item('督查')] },
    {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: [
            { type: 'tableHeader', content: [paragraph('单位')] },
            { type: 'tableHeader', content: [paragraph('值班人')] },
          ],
        },
        {
          type: 'tableRow',
          content: [
            { type: 'tableCell', content: [paragraph('办公厅')] },
            { type: 'tableCell', content: [paragraph('张伟')] },
          ],
        },
      ],
    },
    heading(3, '1.严格纪律。'),
    heading(4, '（1）坚守岗位。'),
    paragraph('特此通知。'),
  ],
}

const META = {
  ...DEFAULT_META,
  title: '关于做好春节期间值班工作的通知',
  issuingAuthority: '山东省人民政府办公厅',
  documentNumber: '鲁政办发〔2024〕3号',
  mainRecipients: '各市人民政府',
  writtenDate: '2024年1月26日',
  ccRecipients: '省委各部门',
  printingAuthority: '山东省人民政府办公厅',
  printDate: '2024年1月26日',
}

async function exported(): Promise<ArrayBuffer> {
  const bytes = await exportDocx(META, bodySchema().nodeFromJSON(BODY))
  // A fresh ArrayBuffer (the bytes' own buffer may be typed as shared).
  const copy = new ArrayBuffer(bytes.byteLength)
  new Uint8Array(copy).set(bytes)
  return copy
}

describe('DOCX import mapping', () => {
  test('mammoth’s HTML becomes the editor’s nodes: headings by level, lists, tables with header cells', () => {
    const body = htmlToBody(
      [
        '<p class="gw-doc-title">关于开展检查的通知</p>',
        '<p>为做好工作，通知如下：</p>',
        '<h1>一、总体要求</h1>',
        '<h2>（一）目标</h2>',
        '<h5>细则</h5>',
        '<p>（二）要求。各单位要落实。</p>',
        '<p>2023年工作总结。</p>',
        '<ul><li>甲</li><li>乙</li></ul>',
        '<ol><li><p>一</p></li><li><p>二</p></li></ol>',
        '<table><tr><th><p>行业</p></th><th><p>单位</p></th></tr><tr><td><p>化工</p></td><td><p>应急厅</p></td></tr></table>',
        '<p>见图<img src="data:image/png;base64,AAAA" /></p>',
      ].join(''),
    )
    expect(body.title).toBe('关于开展检查的通知')
    expect(body.imagesDropped).toBe(1)
    expect(outline(body.doc.toJSON())).toEqual([
      'p:为做好工作，通知如下：',
      'h1:一、总体要求',
      'h2:（一）目标',
      // h5 folds into level 4; a paragraph opening with （二） is a level-2 heading.
      'h4:细则',
      'h2:（二）要求。各单位要落实。',
      // "2023年" is no heading number.
      'p:2023年工作总结。',
      { bulletList: ['甲', '乙'] },
      { orderedList: ['一', '二'] },
      {
        table: [
          ['th:行业', 'th:单位'],
          ['td:化工', 'td:应急厅'],
        ],
      },
      'p:见图',
    ])
    expect(body.stats).toMatchObject({ headings: 4, tables: 1, lists: 2 })
  })

  test('a Word file made elsewhere imports with its headings, table and list', async () => {
    const document = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              heading: HeadingLevel.TITLE,
              children: [new TextRun('关于检查的通知')],
            }),
            new Paragraph({
              heading: HeadingLevel.HEADING_1,
              children: [new TextRun('一、总体要求')],
            }),
            new Paragraph({ children: [new TextRun('正文段落。')] }),
            new Table({
              rows: [
                new TableRow({
                  children: [
                    new TableCell({ children: [new Paragraph('甲')] }),
                    new TableCell({ children: [new Paragraph('乙')] }),
                  ],
                }),
              ],
            }),
            new Paragraph({ bullet: { level: 0 }, children: [new TextRun('要点')] }),
          ],
        },
      ],
    })
    const read = await readDocx(await Packer.toArrayBuffer(document))
    const body = htmlToBody(read.html)
    expect(body.title).toBe('关于检查的通知')
    expect(outline(body.doc.toJSON())).toEqual([
      'h1:一、总体要求',
      'p:正文段落。',
      { table: [['td:甲', 'td:乙']] },
      { bulletList: ['要点'] },
    ])
  })

  test('files that are not Word documents, or too large, are refused with a reason', async () => {
    const refused = async (data: ArrayBuffer): Promise<string> => {
      try {
        await readDocx(data)
        return 'accepted'
      } catch (error) {
        return error instanceof DocxImportError ? error.problem : 'other'
      }
    }
    // An old binary .doc (OLE compound file).
    const doc = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).buffer
    expect(await refused(doc)).toBe('notDocx')
    // A ZIP that is no Word document.
    const zip = await new JSZip().file('hello.txt', 'hi').generateAsync({ type: 'arraybuffer' })
    expect(await refused(zip)).toBe('damaged')
    expect(await refused(new ArrayBuffer(MAX_DOCX_BYTES + 1))).toBe('tooLarge')
  })
})

describe('DOCX export', () => {
  test('the page is A4 with the GB/T 9704 margins, a 22 × 28 grid and odd/even footers', async () => {
    const zip = await JSZip.loadAsync(await exported())
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? ''
    const settings = (await zip.file('word/settings.xml')?.async('string')) ?? ''
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/)
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/)
    expect(xml).toMatch(
      /<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-84\d"\/>/,
    )
    expect(xml).toContain('<w:footerReference w:type="even"')
    expect(settings).toContain('<w:evenAndOddHeaders/>')
    const footers = await Promise.all(
      Object.keys(zip.files)
        .filter((name) => /^word\/footer\d+\.xml$/.test(name))
        .map((name) => zip.file(name)?.async('string') ?? ''),
    )
    // Odd pages right, even pages left, both "— n —" in 4号 (28 half-points).
    expect(footers.some((f) => f.includes('w:val="right"') && f.includes('PAGE'))).toBe(true)
    expect(footers.some((f) => f.includes('w:val="left"') && f.includes('PAGE'))).toBe(true)
    expect(footers.every((f) => f.includes('<w:sz w:val="28"/>') && f.includes('— '))).toBe(true)
  })

  test('masthead in red 小标宋, title 2号 小标宋, body 3号 仿宋, separator in red', async () => {
    const zip = await JSZip.loadAsync(await exported())
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? ''
    const runOf = (content: string): string => {
      const at = xml.indexOf(`${content}</w:t>`)
      expect(at).toBeGreaterThan(0)
      return xml.slice(xml.lastIndexOf('<w:r>', at), at)
    }
    expect(runOf('山东省人民政府办公厅文件')).toContain('<w:color w:val="FF0000"/>')
    expect(runOf('山东省人民政府办公厅文件')).toContain('w:eastAsia="方正小标宋简体"')
    expect(runOf('关于做好春节期间值班工作的通知')).toContain('<w:sz w:val="44"/>')
    expect(runOf('各单位要切实加强组织领导。')).toContain('w:eastAsia="仿宋_GB2312"')
    expect(runOf('各单位要切实加强组织领导。')).toContain('<w:sz w:val="32"/>')
    expect(xml).toMatch(/<w:bottom w:val="single" w:color="FF0000"/)
    expect(runOf('2024年1月26日印发')).toContain('<w:sz w:val="28"/>')
  })

  test('the export reads back with the same body, the 版头 and 版记 around it recognised as 公文要素', async () => {
    const read = await readDocx(await exported())
    const body = htmlToBody(read.html)
    expect(outline(body.doc.toJSON())).toEqual(outline(BODY))
    expect(body.title).toBe(META.title)
    expect(body.meta).toEqual({
      issuingAuthority: META.issuingAuthority,
      documentNumber: META.documentNumber,
      mainRecipients: META.mainRecipients,
      writtenDate: META.writtenDate,
      ccRecipients: META.ccRecipients,
      printingAuthority: META.printingAuthority,
      printDate: META.printDate,
    })
  })
})

describe('DOCX round trip of the 公文要素', () => {
  test('marks, several recipients and 附件说明 come back as well', async () => {
    const meta = {
      ...META,
      copyNumber: '000123',
      urgency: '特急' as const,
      mainRecipients: '各市人民政府，省政府各部门',
      attachments: ['值班表', '联系方式'],
    }
    const bytes = await exportDocx(meta, bodySchema().nodeFromJSON(BODY))
    const copy = new ArrayBuffer(bytes.byteLength)
    new Uint8Array(copy).set(bytes)
    const imported = htmlToBody((await readDocx(copy)).html)

    expect(imported.title).toBe(meta.title)
    expect(imported.classifiedMark).toBeNull()
    expect(imported.meta).toEqual({
      copyNumber: '000123',
      urgency: '特急',
      issuingAuthority: meta.issuingAuthority,
      documentNumber: meta.documentNumber,
      mainRecipients: meta.mainRecipients,
      attachments: meta.attachments,
      writtenDate: meta.writtenDate,
      ccRecipients: meta.ccRecipients,
      printingAuthority: meta.printingAuthority,
      printDate: meta.printDate,
    })
    expect(outline(imported.doc.toJSON() as JSONContent)).toEqual(outline(BODY))
  })
})

describe('imported 公文要素 over a current body', () => {
  test('fill only the empty fields, and nothing the form would refuse', () => {
    const doc = new Y.Doc()
    const meta = doc.getMap<unknown>('meta')
    meta.set('documentNumber', '鲁政发〔2024〕1号')
    meta.set('urgency', 'none')
    meta.set('attachments', [])
    const written = fillEmptyMeta(doc, {
      documentNumber: '鲁政发〔2023〕9号',
      urgency: '加急',
      attachments: ['名单'],
      writtenDate: '2024年2月1日',
      // Five digits: not a 份号 the form accepts.
      copyNumber: '12345',
    })
    expect(written.sort()).toEqual(['attachments', 'urgency', 'writtenDate'])
    expect(meta.toJSON()).toEqual({
      documentNumber: '鲁政发〔2024〕1号',
      urgency: '加急',
      attachments: ['名单'],
      writtenDate: '2024年2月1日',
    })
  })
})
