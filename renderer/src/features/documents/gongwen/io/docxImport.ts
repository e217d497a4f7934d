/**
 * Reads a .docx with mammoth (loaded on first use, its browser build in the renderer) into HTML:
 * Word's Heading 1–6 (also under their Chinese names) become h1–h6, Title a marked paragraph, lists
 * and tables as they are. Refuses what cannot be a Word document, or is too large, with a reason
 * the dialog shows in Chinese.
 *
 * @example
 *   const { html, images } = await readDocx(await file.arrayBuffer())
 */

/** Largest .docx accepted (bytes): 公文 with tables stay far below; photos albums do not. */
export const MAX_DOCX_BYTES = 20 * 1024 * 1024

/** Why a file was refused. */
export type DocxImportProblem =
  /** Larger than MAX_DOCX_BYTES. */
  | 'tooLarge'
  /** Not a ZIP package (.doc, .wps, PDF, text…). */
  | 'notDocx'
  /** A ZIP, but not a readable Word document. */
  | 'damaged'
  /** No body text at all. */
  | 'empty'

/** A refused file; `problem` selects the message. */
export class DocxImportError extends Error {
  constructor(readonly problem: DocxImportProblem) {
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
