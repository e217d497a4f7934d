/**
 * Calls routes of the HTTP contract (shared/http) by their declaration: the URL is built from the
 * route's path and the given params and query, and the result has the route's response type. The
 * only way views and stores reach the relay over HTTP (eslint.config.js refuses path strings and
 * `fetch` outside renderer/src/api).
 *
 * @example
 *   const approval = await call(getApproval, { params: { id } })
 *   const { user } = await call(me)
 */
import type {
  DownloadRoute,
  JsonRoute,
  RouteInput,
  RouteOutput,
  UploadRoute,
} from '../../../shared/http/contract'
import { api } from './client'
import type { FetchedFile, RequestOptions } from './client'

export type { FetchedFile } from './client'

/** The arguments after the route: the input, optional when the route needs nothing. */
type CallArgs<C> =
  Partial<RouteInput<C>> extends RouteInput<C>
    ? [input?: RouteInput<C>, options?: RequestOptions]
    : [input: RouteInput<C>, options?: RequestOptions]

/**
 * Calls a JSON route (not an upload: see upload()).
 * @returns the route's success body (null for 204)
 * @throws ApiError (code `network` when the relay could not be reached)
 */
export function call<C extends JsonRoute>(
  route: C,
  ...[input, options]: CallArgs<C>
): Promise<RouteOutput<C>> {
  // reason: the input may be left out only when every part of it is optional (CallArgs), so {} is one.
  return api.call(route, input ?? ({} as RouteInput<C>), options)
}

/**
 * Sends a file as the body of an upload route.
 * @returns the route's success body
 * @throws ApiError
 */
export function upload<C extends UploadRoute>(
  route: C,
  input: RouteInput<C>,
  file: Blob,
  type: string,
): Promise<RouteOutput<C>> {
  return api.upload(route, input, file, type)
}

/**
 * Fetches the file a download route answers (CSV); save it with the DesktopBridge.
 * @throws ApiError when the relay refuses it
 */
export function download<C extends DownloadRoute>(
  route: C,
  input: RouteInput<C>,
): Promise<FetchedFile> {
  return api.download(route, input)
}
