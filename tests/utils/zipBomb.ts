/**
 * Builds ZIP packages for the import tests, honest or forged: an entry can be a real decompression
 * bomb (a short text repeated until it is gigabytes long, deflated as a stream so the test never
 * holds it), and the sizes the package declares can be set to lie.
 */
import zlib from 'node:zlib'

/** One file of the package. */
export interface ZipInput {
  readonly name: string
  /** The content, or a text repeated `times` times (streamed, never held whole). */
  readonly content: string | Uint8Array | { readonly repeat: string; readonly times: number }
  /** The uncompressed size to declare instead of the real one (a forged package). */
  readonly declareSize?: number
}

interface Packed {
  readonly name: Buffer
  readonly data: Buffer
  readonly crc: number
  readonly size: number
  readonly declared: number
}

async function deflate(
  content: ZipInput['content'],
): Promise<{ data: Buffer; crc: number; size: number }> {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)
    return { data: zlib.deflateRawSync(raw, { level: 9 }), crc: zlib.crc32(raw), size: raw.length }
  }
  const unit = Buffer.from(content.repeat, 'utf8')
  // 1 MB blocks: the whole text is never in memory, only its deflated form.
  const perBlock = Math.max(1, Math.floor((1 << 20) / unit.length))
  const block = Buffer.concat(Array.from({ length: perBlock }, () => unit))
  const stream = zlib.createDeflateRaw({ level: 9, memLevel: 9 })
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('error', reject)
  })
  let crc = 0
  let size = 0
  let left = content.times
  while (left > 0) {
    const piece = left >= perBlock ? block : block.subarray(0, left * unit.length)
    left -= Math.min(left, perBlock)
    crc = zlib.crc32(piece, crc)
    size += piece.length
    if (!stream.write(piece)) {
      await new Promise((resolve) => stream.once('drain', resolve))
    }
  }
  stream.end()
  await done
  return { data: Buffer.concat(chunks), crc, size }
}

/** @returns a ZIP package (deflated entries, ZIP64 sizes where they exceed 4 GB − 1). */
export async function buildZip(inputs: readonly ZipInput[]): Promise<Buffer> {
  const packed: Packed[] = []
  for (const input of inputs) {
    const { data, crc, size } = await deflate(input.content)
    packed.push({
      name: Buffer.from(input.name, 'utf8'),
      data,
      crc,
      size,
      declared: input.declareSize ?? size,
    })
  }
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const entry of packed) {
    const big = entry.declared >= 0xffffffff
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(big ? 45 : 20, 4)
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(entry.crc, 14)
    local.writeUInt32LE(entry.data.length, 18)
    local.writeUInt32LE(big ? 0xffffffff : entry.declared, 22)
    local.writeUInt16LE(entry.name.length, 26)
    const zip64 = Buffer.alloc(big ? 12 : 0)
    if (big) {
      zip64.writeUInt16LE(0x0001, 0)
      zip64.writeUInt16LE(8, 2)
      zip64.writeBigUInt64LE(BigInt(entry.declared), 4)
    }
    local.writeUInt16LE(zip64.length, 28)
    parts.push(local, entry.name, zip64, entry.data)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(big ? 45 : 20, 4)
    header.writeUInt16LE(big ? 45 : 20, 6)
    header.writeUInt16LE(0x0800, 8)
    header.writeUInt16LE(8, 10)
    header.writeUInt32LE(entry.crc, 16)
    header.writeUInt32LE(entry.data.length, 20)
    header.writeUInt32LE(big ? 0xffffffff : entry.declared, 24)
    header.writeUInt16LE(entry.name.length, 28)
    header.writeUInt16LE(zip64.length, 30)
    header.writeUInt32LE(offset, 42)
    central.push(header, entry.name, zip64)
    offset += local.length + entry.name.length + zip64.length + entry.data.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(packed.length, 8)
  end.writeUInt16LE(packed.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, directory, end])
}

/** The parts every .docx has besides its document.xml. */
export const DOCX_PARTS: readonly ZipInput[] = [
  {
    name: '[Content_Types].xml',
    content:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  },
  {
    name: '_rels/.rels',
    content:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  },
]

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

/** @returns the document.xml text of a body of paragraphs. */
export function documentXml(paragraphs: readonly string[]): string {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('')
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${body}</w:body></w:document>`
}

/**
 * @returns a .docx whose document.xml really unpacks to `bytes` bytes of white space (deflate's best
 *   ratio, about 1:1000: 1.2 GB in 1.2 MB), its size declared honestly
 */
export function docxBomb(bytes: number): Promise<Buffer> {
  return buildZip([
    ...DOCX_PARTS,
    { name: 'word/document.xml', content: { repeat: ' ', times: bytes } },
  ])
}

/**
 * @returns a copy of a package (as built by buildZip, sizes under 4 GB) whose entry `name` declares
 *   `size` bytes unpacked, in its central directory and local header: a forged package
 */
export function withDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
  const copy = Buffer.from(zip)
  const wanted = Buffer.from(name, 'utf8')
  let patched = 0
  for (
    let at = copy.indexOf('PK');
    at >= 0 && at + 46 < copy.length;
    at = copy.indexOf('PK', at + 1)
  ) {
    const signature = copy.readUInt32LE(at)
    const central = signature === 0x02014b50
    if (!central && signature !== 0x04034b50) {
      continue
    }
    const nameLength = copy.readUInt16LE(at + (central ? 28 : 26))
    const nameStart = at + (central ? 46 : 30)
    if (copy.subarray(nameStart, nameStart + nameLength).equals(wanted)) {
      copy.writeUInt32LE(size, at + (central ? 24 : 22))
      patched++
    }
  }
  if (patched !== 2) {
    throw new Error(`${name}: ${patched} headers found`)
  }
  return copy
}
