/**
 * Byte-level calls of the admin API that the JSON client does not cover: uploading an import file
 * as the raw request body, and fetching CSV reports to save through the DesktopBridge.
 */
import { serverOrigin } from '../../api/endpoint'
import { ApiError, parseErrorBody } from '../../api/errors'
import { getBridge } from '../../bridge'
import { useSessionStore } from '../../stores/session'

/** MIME types of the import formats. */
export const IMPORT_MIME = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const

async function send(
  method: 'GET' | 'POST',
  path: string,
  body?: { data: Blob | ArrayBuffer; type: string },
): Promise<Response> {
  const token = useSessionStore().token
  const headers: Record<string, string> = {}
  if (token !== null) {
    headers.authorization = `Bearer ${token}`
  }
  if (body !== undefined) {
    headers['content-type'] = body.type
  }
  let response: Response
  try {
    response = await fetch(`${serverOrigin()}/api/v1${path}`, {
      method,
      headers,
      body: body?.data,
      cache: 'no-store',
    })
  } catch (error) {
    throw new ApiError('network', error instanceof Error ? error.message : String(error), 0)
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '')
    let parsed: unknown = null
    try {
      parsed = text === '' ? null : JSON.parse(text)
    } catch {
      parsed = null
    }
    throw parseErrorBody(response.status, parsed)
  }
  return response
}

/**
 * Sends a file as the raw body of a POST.
 * @returns the parsed JSON answer
 * @throws ApiError
 */
export async function uploadFile<T>(path: string, file: Blob, type: string): Promise<T> {
  const response = await send('POST', path, { data: file, type })
  // reason: the relay's answers are typed by shared/api.ts; the caller names the shape it expects.
  return (await response.json()) as T
}

/** A file fetched from the API. */
export interface FetchedFile {
  readonly data: Uint8Array
  readonly mimeType: string
}

/**
 * Fetches a file from the API.
 * @throws ApiError when the relay refuses it
 */
export async function fetchFile(method: 'GET' | 'POST', path: string): Promise<FetchedFile> {
  const response = await send(method, path)
  return {
    data: new Uint8Array(await response.arrayBuffer()),
    mimeType: response.headers.get('content-type') ?? 'text/csv',
  }
}

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
 * Fetches a file from the API and saves it.
 * @throws ApiError when the relay refuses it
 */
export async function downloadFile(
  method: 'GET' | 'POST',
  path: string,
  suggestedName: string,
): Promise<void> {
  await saveFile(await fetchFile(method, path), suggestedName)
}
