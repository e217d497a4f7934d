/**
 * Calls a route of the HTTP contract (shared/http) by its declaration: the URL is built from the
 * route's path and the given params and query, and the result has the route's response type.
 *
 * @example
 *   const approval = await call(getApproval, { params: { id } })
 */
import { routeUrl } from '../../../shared/http/contract'
import type { RouteContract, RouteInput, RouteOutput } from '../../../shared/http/contract'
import { api } from './client'
import type { RequestOptions } from './client'

/** The prefix the client's base URL already carries. */
const API_PREFIX = '/api/v1'

/** @returns the route's success body. @throws ApiError as `api.request` does */
export function call<C extends RouteContract>(
  route: C,
  input: RouteInput<C>,
  options?: RequestOptions,
): Promise<RouteOutput<C>> {
  const url = routeUrl(
    route,
    (input.params ?? {}) as Record<string, string | number>,
    (input.query ?? {}) as Record<string, string | number | boolean | undefined>,
  )
  const path = url.startsWith(API_PREFIX) ? url.slice(API_PREFIX.length) : url
  return api.request<RouteOutput<C>>(route.method, path, input.body, options)
}
