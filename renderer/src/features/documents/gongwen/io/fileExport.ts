/**
 * Hands an export to the platform through the DesktopBridge: PDF through printToPdf (Electron's
 * printToPDF on the desktop, whose bytes then go through the save dialog; the print dialog on the
 * web, where the browser saves the PDF itself) and DOCX bytes through saveFile.
 */
import type { DesktopBridge } from '../../../../../../shared/ipc/contract'
import { MAX_FILE_NAME_LENGTH } from '../../../../../../shared/ipc/schemas'

/** How an export ended. */
export type ExportOutcome =
  /** The file was saved (desktop) or downloaded (web). */
  | 'saved'
  /** The browser's print dialog took over (web): it saves the PDF. */
  | 'printDialog'
  /** The user cancelled the save dialog. */
  | 'cancelled'
  /** The platform failed. */
  | 'failed'

/** The MIME type of a PDF. */
export const PDF_MIME = 'application/pdf'

/**
 * @returns a file name from a document title: no path or reserved characters, not too long, with
 *   the extension.
 */
export function exportFileName(title: string, extension: 'pdf' | 'docx'): string {
  const base = [...title]
    .map((c) => (/[\\/:*?"<>|]/.test(c) || c.charCodeAt(0) < 0x20 || c === '\u007f' ? '_' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
  const room = MAX_FILE_NAME_LENGTH - extension.length - 1
  return `${[...(base === '' ? '公文' : base)].slice(0, Math.min(room, 120)).join('')}.${extension}`
}

/** Prints the current window to PDF and saves it (desktop), or opens the print dialog (web). */
export async function exportPdf(bridge: DesktopBridge, title: string): Promise<ExportOutcome> {
  const printed = await bridge.printToPdf({ title })
  if (!printed.ok) {
    return printed.code === 'cancelled' ? 'cancelled' : 'failed'
  }
  if (printed.value.data === null) {
    return 'printDialog'
  }
  return saveBytes(bridge, exportFileName(title, 'pdf'), PDF_MIME, printed.value.data)
}

/** Saves bytes under a name through the save dialog (desktop) or as a download (web). */
export async function saveBytes(
  bridge: DesktopBridge,
  suggestedName: string,
  mimeType: string,
  data: Uint8Array,
): Promise<ExportOutcome> {
  const saved = await bridge.saveFile({ suggestedName, mimeType, data })
  if (!saved.ok) {
    return saved.code === 'cancelled' ? 'cancelled' : 'failed'
  }
  return saved.value.saved ? 'saved' : 'cancelled'
}
