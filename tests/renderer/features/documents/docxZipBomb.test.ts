/**
 * Issue 17, finding 13: a .docx is measured by its central directory before anything is inflated,
 * and an entry that inflates to more than it declares is caught while it is inflated.
 */
import { describe, expect, test } from 'vitest'
import JSZip from 'jszip'
import {
  DocxImportError,
  MAX_DOCX_UNPACKED_BYTES,
  readDocx,
} from '../../../../renderer/src/features/documents/gongwen/io/docxImport'

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

function documentXml(paragraphs: readonly string[]): string {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('')
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${body}</w:body></w:document>`
}

/** @returns a minimal .docx holding this document.xml, deflated. */
async function docx(xml: string): Promise<Uint8Array> {
  const zip = new JSZip()
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  )
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  )
  zip.file('word/document.xml', xml)
  return zip.generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
  })
}

/**
 * Rewrites the uncompressed size an entry declares, in its central directory header and its local
 * header (a forged package: the bytes stay as they are).
 */
function declare(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = zip.slice()
  const view = new DataView(copy.buffer)
  const wanted = new TextEncoder().encode(name)
  let patched = 0
  for (let at = 0; at + 46 < copy.length; at++) {
    const signature = view.getUint32(at, true)
    const central = signature === 0x02014b50
    const local = signature === 0x04034b50
    if (!central && !local) {
      continue
    }
    const nameLength = view.getUint16(at + (central ? 28 : 26), true)
    const nameStart = at + (central ? 46 : 30)
    const found = copy.subarray(nameStart, nameStart + nameLength)
    if (nameLength === wanted.length && found.every((byte, i) => byte === wanted[i])) {
      view.setUint32(at + (central ? 24 : 22), size, true)
      patched++
    }
  }
  expect(patched).toBe(2)
  return copy
}

function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer
}

async function refusal(bytes: Uint8Array): Promise<DocxImportError> {
  try {
    await readDocx(buffer(bytes))
  } catch (error) {
    if (error instanceof DocxImportError) {
      return error
    }
    throw error
  }
  throw new Error('the file was imported')
}

describe('Word import refuses decompression bombs', () => {
  test('a .docx whose directory declares a 1.2 GB document.xml is refused before anything is inflated', async () => {
    // The real document.xml is small and valid: only the declared size can refuse it.
    const forged = declare(
      await docx(documentXml(['一、总体要求'])),
      'word/document.xml',
      1_200_000_000,
    )
    const started = performance.now()
    const error = await refusal(forged)
    expect(error.problem).toBe('unpackedTooLarge')
    expect(error.unpackedBytes).toBeGreaterThanOrEqual(1_200_000_000)
    expect(performance.now() - started).toBeLessThan(500)
  })

  test('a document.xml that inflates to more than it declares is refused while it inflates', async () => {
    // 6 MB of valid paragraphs that claim to be 2 KB.
    const xml = documentXml(
      Array.from({ length: 60_000 }, (_, i) => `第${i}段：关于开展安全生产大检查的通知`),
    )
    expect(xml.length).toBeGreaterThan(2_000_000)
    expect(xml.length).toBeLessThan(MAX_DOCX_UNPACKED_BYTES)
    const error = await refusal(declare(await docx(xml), 'word/document.xml', 2048))
    expect(error.problem).toBe('unpackedMismatch')
  })

  test('an honest .docx still imports', async () => {
    const read = await readDocx(buffer(await docx(documentXml(['一、总体要求', '二、检查内容']))))
    expect(read.html).toContain('二、检查内容')
  })
})
