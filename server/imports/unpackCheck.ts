/**
 * Refuses a spreadsheet decompression bomb before the XLSX reader (exceljs, over JSZip) inflates
 * it: first the sizes the ZIP directory declares (shared/zip/zipDirectory.ts), then each deflated
 * part inflated as a stream and counted, stopping at the first byte beyond what it declares, so a
 * forged directory is caught after a few megabytes at most. Nothing inflated is kept.
 *
 * @example
 *   const problem = await xlsxUnpackProblem(bytes)
 *   if (problem !== null) refuse(unpackMessage(problem))
 */
import { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { inspectZip } from '../../shared/zip/zipDirectory'
import type { ZipProblem } from '../../shared/zip/zipDirectory'

/**
 * Largest unpacked size of an uploaded .xlsx, all parts together (bytes). 100,000 accounts fill a
 * sheet of some tens of megabytes; a bomb declares, or inflates to, gigabytes.
 */
export const MAX_XLSX_UNPACKED_BYTES = 128 * 1024 * 1024

/** Deflated bytes handed to the inflater at a time (at most about 4 MB come out of them). */
const SLICE_BYTES = 4096

/** Why an upload may not be unpacked: the directory's verdict, or a part that inflates past its size. */
export type UnpackProblem = ZipProblem | { readonly kind: 'forged'; readonly entry: string }

/** @returns why the .xlsx may not be unpacked, or null when it may. */
export async function xlsxUnpackProblem(bytes: Uint8Array): Promise<UnpackProblem | null> {
  const { entries, problem } = inspectZip(bytes, {
    maxEntries: 10_000,
    maxEntryBytes: MAX_XLSX_UNPACKED_BYTES,
    maxTotalBytes: MAX_XLSX_UNPACKED_BYTES,
  })
  if (problem !== null) {
    return problem
  }
  for (const entry of entries) {
    if (entry.method !== 8) {
      continue
    }
    const verdict = await inflatesWithin(
      bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize),
      entry.uncompressedSize,
    )
    if (verdict === 'over') {
      return { kind: 'forged', entry: entry.name }
    }
    if (verdict === 'bad') {
      return { kind: 'damaged' }
    }
  }
  return null
}

/** @returns the Chinese-first message of an unpack problem. */
export function unpackMessage(problem: UnpackProblem): string {
  const limit = `${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB`
  switch (problem.kind) {
    case 'tooLarge': {
      const size = ((problem.unpackedBytes ?? 0) / 1024 / 1024).toFixed(1)
      return `文件解压后达 ${size} MB，超过 ${limit} 的上限，可能是恶意构造的“压缩炸弹”，已拒绝导入 (the file unpacks to more than ${limit})`
    }
    case 'forged':
      return `文件解压后的内容比其声明的大，可能是恶意构造的“压缩炸弹”，已拒绝导入 (a part unpacks to more than it declares)`
    case 'tooManyEntries':
      return `文件包含的部件过多，解压后将超出上限，已拒绝导入 (too many parts)`
    case 'damaged':
      return '无法读取文件，请确认是 UTF-8 编码的 CSV 或 XLSX 文件 (unreadable xlsx file)'
  }
}

/** @returns whether raw deflate data inflates to at most `limit` bytes ('over' if not, 'bad' if not deflate). */
async function inflatesWithin(
  compressed: Uint8Array,
  limit: number,
): Promise<'ok' | 'over' | 'bad'> {
  const slices = function* (): Generator<Buffer> {
    for (let at = 0; at < compressed.length; at += SLICE_BYTES) {
      const end = Math.min(at + SLICE_BYTES, compressed.length)
      yield Buffer.from(compressed.buffer, compressed.byteOffset + at, end - at)
    }
  }
  const source = Readable.from(slices())
  const inflater = zlib.createInflateRaw()
  source.pipe(inflater)
  let total = 0
  try {
    for await (const chunk of inflater) {
      total += (chunk as Buffer).length
      if (total > limit) {
        source.destroy()
        return 'over'
      }
    }
    return 'ok'
  } catch {
    return 'bad'
  } finally {
    inflater.destroy()
  }
}
