/**
 * Files of the admin API: the import formats, and CSV reports fetched with download()
 * (renderer/src/api/call.ts) and saved through the DesktopBridge.
 */
import type { DownloadRoute, RouteInput } from '../../../../shared/http/contract'
import { IMPORT_TYPES } from '../../../../shared/http/routes/imports'
import { download } from '../../api/call'
import type { FetchedFile } from '../../api/call'
import { ApiError } from '../../api/errors'
import { getBridge } from '../../bridge'

/** MIME types of the import formats. */
export const IMPORT_MIME = IMPORT_TYPES

/**
 * Hands bytes to the platform's save dialog (a download on the web).
 * @returns false when the user cancelled the dialog
 * @throws ApiError when saving failed
 */
export async function saveFile(file: FetchedFile, suggestedName: string): Promise<boolean> {
  const result = await getBridge().saveFile({
    suggestedName,
    mimeType: file.mimeType,
    data: file.data,
  })
  if (result.ok) {
    return result.value.saved
  }
  if (result.code === 'cancelled') {
    return false
  }
  throw new ApiError('internal', `save failed: ${result.code}`, 0)
}

/**
 * Fetches the file a download route answers and saves it.
 * @throws ApiError when the relay refuses it
 */
export async function downloadFile<C extends DownloadRoute>(
  route: C,
  input: RouteInput<C>,
  suggestedName: string,
): Promise<void> {
  await saveFile(await download(route, input), suggestedName)
}
