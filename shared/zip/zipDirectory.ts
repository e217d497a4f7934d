/**
 * Reads the central directory of a ZIP package (.docx, .xlsx) without inflating anything, so an
 * importer can refuse a decompression bomb before a byte is unpacked: a 1.3 MB .docx may declare
 * a 1.2 GB document.xml. ZIP64 sizes are read too. Only the layout is checked here; whether an
 * entry really inflates to no more than it declares is for the caller to verify while inflating
 * (each runtime has its own streaming inflater).
 *
 * @example
 *   const problem = zipSizeProblem(readZipDirectory(bytes), { maxEntryBytes: 64 << 20, maxTotalBytes: 64 << 20 })
 *   if (problem !== null) refuse(problem)
 */

/** One file of the package as its central directory describes it. */
export interface ZipEntry {
  readonly name: string
  /** 0 stored, 8 deflated; others are refused by the importers. */
  readonly method: number
  readonly compressedSize: number
  /** As declared; a forged package may understate it, never overstate what is refused. */
  readonly uncompressedSize: number
  /** Where the entry's compressed bytes start in the package. */
  readonly dataOffset: number
}

/** Why a package was refused. */
export type ZipProblemKind =
  /** Not a ZIP package, or its directory is cut or inconsistent. */
  | 'damaged'
  /** More files than any honest document has. */
  | 'tooManyEntries'
  /** One file, or all together, would unpack to more than the limit. */
  | 'tooLarge'

/** A refusal with what the user is told about. */
export interface ZipProblem {
  readonly kind: ZipProblemKind
  /** The declared unpacked size of the package (all entries), when that is the problem. */
  readonly unpackedBytes?: number
  /** The largest entry's name, when the size is the problem. */
  readonly entry?: string
}

/** Thrown by readZipDirectory. */
export class ZipDirectoryError extends Error {
  constructor(readonly problem: ZipProblem) {
    super(`zip refused: ${problem.kind}`)
    this.name = 'ZipDirectoryError'
  }
}

/** Limits an importer applies. */
export interface ZipLimits {
  readonly maxEntries?: number
  readonly maxEntryBytes: number
  readonly maxTotalBytes: number
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL_HEADER = 0x02014b50
const LOCAL_HEADER = 0x04034b50
const MAX_COMMENT = 0xffff
const DEFAULT_MAX_ENTRIES = 10_000

const damaged = (): ZipDirectoryError => new ZipDirectoryError({ kind: 'damaged' })

/** Little-endian reads that refuse to run past the end. */
class Reader {
  private readonly view: DataView
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  u16(at: number): number {
    if (at < 0 || at + 2 > this.bytes.length) {
      throw damaged()
    }
    return this.view.getUint16(at, true)
  }
  u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) {
      throw damaged()
    }
    return this.view.getUint32(at, true)
  }
  /** A 64-bit size; beyond 2^53 it is simply huge. */
  u64(at: number): number {
    const low = this.u32(at)
    const high = this.u32(at + 4)
    return high >= 0x200000 ? Number.MAX_SAFE_INTEGER : high * 0x1_0000_0000 + low
  }
}

/** @returns an entry name for messages (the parts of .docx and .xlsx are named in ASCII). */
function asciiName(bytes: Uint8Array): string {
  let name = ''
  for (const byte of bytes) {
    name += byte < 0x80 ? String.fromCharCode(byte) : '\ufffd'
  }
  return name
}

function findEndOfDirectory(reader: Reader): number {
  const last = reader.bytes.length - 22
  const first = Math.max(0, last - MAX_COMMENT)
  for (let at = last; at >= first; at--) {
    if (reader.u32(at) === EOCD) {
      return at
    }
  }
  throw damaged()
}

/**
 * @returns the entries of the package's central directory
 * @throws ZipDirectoryError `damaged` or `tooManyEntries`
 */
export function readZipDirectory(bytes: Uint8Array, maxEntries = DEFAULT_MAX_ENTRIES): ZipEntry[] {
  if (bytes.length < 22) {
    throw damaged()
  }
  const reader = new Reader(bytes)
  const end = findEndOfDirectory(reader)
  let count = reader.u16(end + 10)
  let size = reader.u32(end + 12)
  let offset = reader.u32(end + 16)
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20
    if (locator < 0 || reader.u32(locator) !== ZIP64_LOCATOR) {
      throw damaged()
    }
    const record = reader.u64(locator + 8)
    if (record > bytes.length - 56 || reader.u32(record) !== ZIP64_EOCD) {
      throw damaged()
    }
    count = reader.u64(record + 32)
    size = reader.u64(record + 40)
    offset = reader.u64(record + 48)
  }
  if (count > maxEntries) {
    throw new ZipDirectoryError({ kind: 'tooManyEntries' })
  }
  if (offset + size > bytes.length) {
    throw damaged()
  }
  const entries: ZipEntry[] = []
  let at = offset
  for (let i = 0; i < count; i++) {
    if (reader.u32(at) !== CENTRAL_HEADER) {
      throw damaged()
    }
    const method = reader.u16(at + 10)
    let compressedSize = reader.u32(at + 20)
    let uncompressedSize = reader.u32(at + 24)
    const nameLength = reader.u16(at + 28)
    const extraLength = reader.u16(at + 30)
    const commentLength = reader.u16(at + 32)
    let localOffset = reader.u32(at + 42)
    const nameStart = at + 46
    if (nameStart + nameLength + extraLength > bytes.length) {
      throw damaged()
    }
    const name = asciiName(bytes.subarray(nameStart, nameStart + nameLength))
    // ZIP64 extended information (0x0001): the 8-byte values of the fields set to 0xffffffff, in order.
    let extra = nameStart + nameLength
    const extraEnd = extra + extraLength
    while (extra + 4 <= extraEnd) {
      const id = reader.u16(extra)
      const length = reader.u16(extra + 2)
      if (id === 0x0001) {
        let field = extra + 4
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = reader.u64(field)
          field += 8
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = reader.u64(field)
          field += 8
        }
        if (localOffset === 0xffffffff) {
          localOffset = reader.u64(field)
        }
      }
      extra += 4 + length
    }
    if (reader.u32(localOffset) !== LOCAL_HEADER) {
      throw damaged()
    }
    const dataOffset =
      localOffset + 30 + reader.u16(localOffset + 26) + reader.u16(localOffset + 28)
    // The compressed bytes must lie inside the package: a forged compressed size is caught here.
    if (dataOffset + compressedSize > offset) {
      throw damaged()
    }
    entries.push({ name, method, compressedSize, uncompressedSize, dataOffset })
    at = extraEnd + commentLength
  }
  return entries
}

/** @returns why the entries may not be unpacked under these limits, or null when they may. */
export function zipSizeProblem(entries: readonly ZipEntry[], limits: ZipLimits): ZipProblem | null {
  if (entries.length > (limits.maxEntries ?? DEFAULT_MAX_ENTRIES)) {
    return { kind: 'tooManyEntries' }
  }
  let total = 0
  let largest: ZipEntry | null = null
  for (const entry of entries) {
    if (entry.method !== 0 && entry.method !== 8) {
      return { kind: 'damaged' }
    }
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      return { kind: 'damaged' }
    }
    total += entry.uncompressedSize
    if (largest === null || entry.uncompressedSize > largest.uncompressedSize) {
      largest = entry
    }
  }
  if (
    largest !== null &&
    (largest.uncompressedSize > limits.maxEntryBytes || total > limits.maxTotalBytes)
  ) {
    return { kind: 'tooLarge', unpackedBytes: total, entry: largest.name }
  }
  return null
}

/**
 * @returns the first problem of a package: its directory, or its declared sizes under `limits`
 */
export function inspectZip(
  bytes: Uint8Array,
  limits: ZipLimits,
): { entries: ZipEntry[]; problem: ZipProblem | null } {
  try {
    const entries = readZipDirectory(bytes, limits.maxEntries)
    return { entries, problem: zipSizeProblem(entries, limits) }
  } catch (error) {
    if (error instanceof ZipDirectoryError) {
      return { entries: [], problem: error.problem }
    }
    throw error
  }
}
