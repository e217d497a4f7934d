/**
 * The HTTP API's contract, one declaration per route: method, path, the zod schemas of its params,
 * query, body and success response, and its success status. The relay registers its handlers from
 * these (server/http/contractRoute.ts: requests validated, responses serialised through the schema)
 * and the renderer calls routes by name with typed results (renderer/src/api/call.ts), so a route
 * and its shapes are written once.
 *
 * @example
 *   export const getApproval = defineRoute({
 *     method: 'GET',
 *     path: '/api/v1/approvals/:id',
 *     params: z.object({ id: z.string() }),
 *     status: 200,
 *     response: ApprovalView,
 *   })
 *   // relay:    handle(app, getApproval, async ({ params }) => service.read(params.id))
 *   // renderer: const approval = await call(getApproval, { params: { id } })
 */
import { z } from 'zod'

/** Methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A route's declaration. */
export interface RouteContract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod
  /** The full path with `:name` parameters, e.g. `/api/v1/approvals/:id`. */
  readonly path: string
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** The status of a success. */
  readonly status: 200 | 201 | 204
  /** The success body (`z.null()` for 204). */
  readonly response: R
}

/** @returns the route, typed (an identity function that keeps the schemas' types). */
export function defineRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodNull,
>(route: RouteContract<P, Q, B, R>): RouteContract<P, Q, B, R> {
  return route
}

/** The input a caller gives a route. */
export type RouteInput<C> =
  C extends RouteContract<infer P, infer Q, infer B, z.ZodType>
    ? (z.input<P> extends undefined ? { params?: undefined } : { params: z.input<P> }) &
        (z.input<Q> extends undefined ? { query?: undefined } : { query: z.input<Q> }) &
        (z.input<B> extends undefined ? { body?: undefined } : { body: z.input<B> })
    : never

/** The success body of a route. */
export type RouteOutput<C> =
  C extends RouteContract<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never

/**
 * @returns the route's path with its parameters filled in (each URI-encoded), and its query
 * @throws Error when a parameter is missing
 */
export function routeUrl(
  route: Pick<RouteContract, 'path'>,
  params: Readonly<Record<string, string | number>> = {},
  query: Readonly<Record<string, string | number | boolean | undefined>> = {},
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

/** The error body of every failure (DESIGN.md §6). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
})
