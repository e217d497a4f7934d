/**
 * The HTTP API's contract, one declaration per route: method, path, the zod schemas of its params,
 * query, body and success response, and its success status. The relay registers its handlers from
 * these (server/http/contractRoute.ts: requests validated, responses serialised through the schema)
 * and the renderer calls routes by name with typed results (renderer/src/api/call.ts), so a route
 * and its shapes are written once. Every route lives in shared/http/routes/<area>.ts and is listed
 * in shared/http/routes/index.ts.
 *
 * Three kinds of route:
 * - `defineRoute`: JSON in, JSON out (`defineUpload`: the body is a file sent as is);
 * - `defineDownload`: JSON-free input, a file out (CSV, the Prometheus text);
 * - `definePage`: the web client's HTML.
 *
 * @example
 *   export const getApproval = defineRoute({
 *     method: 'GET',
 *     path: '/api/v1/approvals/:id',
 *     params: z.object({ id: z.string() }),
 *     status: 200,
 *     response: ApprovalView,
 *   })
 *   // relay:    handle(app, getApproval, signedIn, async ({ params }) => service.read(params.id))
 *   // renderer: const approval = await call(getApproval, { params: { id } })
 */
import { z } from 'zod'

/** Methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** What every route declares: where it is. */
interface RouteAddress {
  readonly method: HttpMethod
  /** The full path with `:name` parameters, e.g. `/api/v1/approvals/:id`. */
  readonly path: string
}

/** A JSON route's declaration. */
export interface RouteContract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> extends RouteAddress {
  /**
   * - `json` (the default): the body, when there is one, is JSON checked by `body`;
   * - `upload`: the body is a file sent as is, with one of the Content-Types in `accepts`.
   */
  readonly kind?: 'json' | 'upload'
  /** The Content-Types an `upload` route accepts. */
  readonly accepts?: readonly string[]
  /** The largest body accepted (bytes), where it differs from the relay's default (256 KiB). */
  readonly maxBytes?: number
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** The status of a success. */
  readonly status: 200 | 201 | 202 | 204
  /** The success body (`z.null()` for 204). */
  readonly response: R
  /**
   * Whether sending it twice does no harm (GET routes always: they change nothing). The web client
   * sends such a call to another relay node when its own cannot be reached (renderer api/client.ts);
   * any other call fails instead, as it may have been carried out before the connection broke.
   */
  readonly idempotent?: true
}

/** A route that answers a file (CSV, plain text) rather than JSON; its errors are still JSON. */
export interface DownloadRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
> extends RouteAddress {
  readonly kind: 'download'
  readonly params?: P
  readonly query?: Q
  /** The Content-Type of a success. */
  readonly contentType: string
}

/** A page of the web client (HTML), served to browsers rather than called. */
export interface PageRoute extends RouteAddress {
  readonly kind: 'page'
  readonly method: 'GET'
}

/** Any declared route. */
export type AnyRoute = RouteContract | DownloadRoute | PageRoute

/** A JSON route: JSON in (when it has a body), JSON out. */
export type JsonRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = RouteContract<P, Q, B, R> & { readonly kind?: 'json' }

/** A route whose body is a file sent as is; JSON out. */
export type UploadRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = RouteContract<P, Q, z.ZodUndefined, R> & {
  readonly kind: 'upload'
  readonly accepts: readonly string[]
}

/** @returns the JSON route, typed (an identity function that keeps the schemas' types). */
export function defineRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodNull,
>(route: JsonRoute<P, Q, B, R>): JsonRoute<P, Q, B, R> {
  return route
}

/** @returns the upload route, typed. */
export function defineUpload<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodNull,
>(route: Omit<UploadRoute<P, Q, R>, 'kind'>): UploadRoute<P, Q, R> {
  return { ...route, kind: 'upload' }
}

/** @returns the download route, typed. */
export function defineDownload<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
>(route: Omit<DownloadRoute<P, Q>, 'kind'>): DownloadRoute<P, Q> {
  return { ...route, kind: 'download' }
}

/** @returns the page route. */
export function definePage(route: Omit<PageRoute, 'kind'>): PageRoute {
  return { ...route, kind: 'page' }
}

/** `{ key: T }`, or `{ key?: T }` when T may be left out (undefined, or an object of optional fields). */
type Part<K extends string, T> = undefined extends T
  ? { [key in K]?: T }
  : Partial<T> extends T
    ? { [key in K]?: T }
    : { [key in K]: T }

/** The input a caller gives a route: its params, query and body, each where the route has one. */
export type RouteInput<C> =
  C extends RouteContract<infer P, infer Q, infer B, z.ZodType>
    ? Part<'params', z.input<P>> & Part<'query', z.input<Q>> & Part<'body', z.input<B>>
    : C extends DownloadRoute<infer P, infer Q>
      ? Part<'params', z.input<P>> & Part<'query', z.input<Q>>
      : never

/** The success body of a route. */
export type RouteOutput<C> =
  C extends RouteContract<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never

/** A query value as it travels in a URL. */
export type QueryValue = string | number | boolean | undefined

/**
 * @returns the route's path with its parameters filled in (each URI-encoded), and its query
 * @throws Error when a parameter is missing
 */
export function routeUrl(
  route: Pick<RouteAddress, 'path'>,
  params: Readonly<Record<string, string | number>> = {},
  query: Readonly<Record<string, QueryValue>> = {},
): string {
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params[name]
    if (value === undefined) {
      throw new Error(`route ${route.path}: parameter ${name} missing`)
    }
    return encodeURIComponent(String(value))
  })
  const search = Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&')
  return search === '' ? path : `${path}?${search}`
}

/**
 * A number in a query string: a caller gives a number, the relay coerces the text it receives.
 * @returns the schema
 */
export function queryNumber(): z.ZodCoercedNumber<number> {
  return z.coerce.number<number>()
}

/** The error body of every failure (DESIGN.md §6). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
})
