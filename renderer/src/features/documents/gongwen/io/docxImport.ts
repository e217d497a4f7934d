/**
 * Reads a .docx with mammoth (loaded on first use, its browser build in the renderer) into HTML:
 * Word's Heading 1–6 (also under their Chinese names) become h1–h6, Title a marked paragraph, lists
 * and tables as they are. Refuses what cannot be a Word document, or is too large, with a reason
 * the dialog shows in Chinese. A decompression bomb (a small file that unpacks to gigabytes) is
 * refused from the ZIP directory's sizes before anything is inflated (shared/zip/zipDirectory.ts).
 *
 * @example
 *   const { html, images } = await readDocx(await file.arrayBuffer())
 */

import { inspectZip } from '../../../../../../shared/zip/zipDirectory'

/** Largest .docx accepted (bytes): 公文 with tables stay far below; photos albums do not. */
export const MAX_DOCX_BYTES = 20 * 1024 * 1024

/**
 * Largest unpacked size of a .docx, all its parts together (bytes). A long 公文 with tables has a
 * document.xml of a few megabytes; a decompression bomb declares (or inflates to) gigabytes.
 */
export const MAX_DOCX_UNPACKED_BYTES = 64 * 1024 * 1024

/** Deflated bytes handed to the inflater at a time: at most about 4 MB come out of them. */
const INFLATE_SLICE_BYTES = 4096

const UNPACK_LIMITS = {
  maxEntries: 2_000,
  maxEntryBytes: MAX_DOCX_UNPACKED_BYTES,
  maxTotalBytes: MAX_DOCX_UNPACKED_BYTES,
}

/** Why a file was refused. */
export type DocxImportProblem =
  /** Larger than MAX_DOCX_BYTES. */
  | 'tooLarge'
  /** Not a ZIP package (.doc, .wps, PDF, text…). */
  | 'notDocx'
  /** A ZIP, but not a readable Word document. */
  | 'damaged'
  /** Its parts would unpack to more than MAX_DOCX_UNPACKED_BYTES (a decompression bomb). */
  | 'unpackedTooLarge'
  /** A part inflates to more than the package declares (a forged package). */
  | 'unpackedMismatch'
  /** No body text at all. */
  | 'empty'

/** A refused file; `problem` selects the message. */
export class DocxImportError extends Error {
  constructor(
    readonly problem: DocxImportProblem,
    /** For `unpackedTooLarge`: the unpacked size the package declares. */
    readonly unpackedBytes?: number,
  ) {
    super(`docx import refused: ${problem}`)
    this.name = 'DocxImportError'
  }
}

/** The class mammoth gives paragraphs in Word's Title style (the 公文 标题). */
export const TITLE_CLASS = 'gw-doc-title'

// Chinese Word and WPS name the built-in styles in Chinese when they are customised.
const STYLE_MAP = [
  `p[style-name='Title'] => p.${TITLE_CLASS}:fresh`,
  `p[style-name='标题'] => p.${TITLE_CLASS}:fresh`,
  ...[1, 2, 3, 4, 5, 6].map((n) => `p[style-name='标题 ${n}'] => h${n}:fresh`),
  ...[1, 2, 3, 4, 5, 6].map((n) => `p[style-name='heading ${n}'] => h${n}:fresh`),
]

/** What mammoth made of the file. */
export interface DocxHtml {
  readonly html: string
  /** Warnings about formatting mammoth could not map (shown as a count). */
  readonly warnings: number
}

/**
 * Refuses a decompression bomb before mammoth (JSZip) inflates it: first the sizes the central
 * directory declares, then each deflated part inflated as a stream and counted, stopping at the
 * first byte beyond what it declares (a forged directory). Nothing is kept while counting, so the
 * memory this takes stays small whatever the file holds.
 * @throws DocxImportError damaged, unpackedTooLarge, unpackedMismatch
 */
export async function checkUnpackedSizes(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const { entries, problem } = inspectZip(bytes, UNPACK_LIMITS)
  if (problem !== null) {
    throw problem.kind === 'tooLarge'
      ? new DocxImportError('unpackedTooLarge', problem.unpackedBytes)
      : new DocxImportError(problem.kind === 'tooManyEntries' ? 'unpackedTooLarge' : 'damaged')
  }
  for (const entry of entries) {
    if (entry.method !== 8) {
      continue
    }
    const compressed = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize)
    const verdict = await inflatedWithin(compressed, entry.uncompressedSize)
    if (verdict !== 'ok') {
      throw new DocxImportError(verdict === 'over' ? 'unpackedMismatch' : 'damaged')
    }
  }
}

/** @returns whether raw deflate data inflates to at most `limit` bytes ('over'), or is not deflate ('bad'). */
async function inflatedWithin(
  compressed: Uint8Array<ArrayBuffer>,
  limit: number,
): Promise<'ok' | 'over' | 'bad'> {
  // Fed in small slices, pulled only as the inflater asks: it inflates a whole chunk at once, and
  // one deflated kilobyte may hold a megabyte (a whole 1 MB part given at once held a gigabyte).
  let at = 0
  const source = new ReadableStream<BufferSource>(
    {
      pull(controller) {
        if (at >= compressed.length) {
          controller.close()
          return
        }
        controller.enqueue(compressed.subarray(at, at + INFLATE_SLICE_BYTES))
        at += INFLATE_SLICE_BYTES
      },
    },
    { highWaterMark: 0 },
  )
  const stream = source.pipeThrough(new DecompressionStream('deflate-raw'))
  const reader = stream.getReader()
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        return 'ok'
      }
      total += value.byteLength
      if (total > limit) {
        await reader.cancel()
        return 'over'
      }
    }
  } catch {
    return 'bad'
  }
}

/** @returns whether the bytes start like a ZIP package (PK\x03\x04). */
export function isZipPackage(data: ArrayBuffer): boolean {
  const head = new Uint8Array(data, 0, Math.min(4, data.byteLength))
  return head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4
}

/**
 * @returns the document as HTML (images are left out: a 公文 body holds none)
 * @throws DocxImportError
 */
export async function readDocx(data: ArrayBuffer): Promise<DocxHtml> {
  if (data.byteLength > MAX_DOCX_BYTES) {
    throw new DocxImportError('tooLarge')
  }
  if (!isZipPackage(data)) {
    throw new DocxImportError('notDocx')
  }
  await checkUnpackedSizes(new Uint8Array(data))
  const mammoth = (await import('mammoth')).default
  // The browser build reads `arrayBuffer`, the Node build (unit tests) `buffer`; both take it.
  const input = { arrayBuffer: data, buffer: data }
  let result: { value: string; messages: { type: string }[] }
  try {
    result = await mammoth.convertToHtml(input, {
      styleMap: STYLE_MAP,
      ignoreEmptyParagraphs: true,
      // Skip the base64 copy of every image: they are dropped from the body anyway.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
    })
  } catch {
    throw new DocxImportError('damaged')
  }
  if (result.value.trim() === '') {
    throw new DocxImportError('empty')
  }
  return {
    html: result.value,
    warnings: result.messages.filter((message) => message.type === 'warning').length,
  }
}
