/**
 * The HTTP client of the relay's API: calls routes declared in shared/http by their declaration
 * (never by a path string), adds the bearer token, parses `{ error: { code, message } }` into an
 * ApiError, and reports a 401 on an authenticated call so the session can end locally. Views and
 * stores use the functions of ./call.ts.
 *
 * A deployment of several relay nodes (endpoint.ts): a call that cannot reach this relay at all (a
 * network failure, not an HTTP error status) is sent to the next node in turn when sending it
 * twice does no harm (GET routes, and routes declared `idempotent`, such as sign-in). Any other
 * call fails with `network`: the relay may have carried it out before the connection broke.
 *
 * @example
 *   const { documents } = await api.call(listDocuments, {})
 */
import { routeUrl } from '../../../shared/http/contract'
import type {
  DownloadRoute,
  HttpMethod,
  QueryValue,
  RouteContract,
  RouteInput,
  RouteOutput,
  UploadRoute,
} from '../../../shared/http/contract'
import { ApiError, parseErrorBody } from './errors'
import { otherOrigins, serverOrigin } from './endpoint'

/** Options of one request. */
export interface RequestOptions {
  /** Send without the token and never treat a 401 as the end of the session (login). */
  readonly anonymous?: boolean
  readonly signal?: AbortSignal
}

/** A file fetched from the API. */
export interface FetchedFile {
  readonly data: Uint8Array
  readonly mimeType: string
}

/** What one request sends. */
interface Outgoing {
  readonly method: HttpMethod
  readonly url: string
  readonly body?: { readonly data: string | Blob; readonly type: string }
  readonly accept: string
  /** Whether it may be sent to another node when this relay cannot be reached. */
  readonly retrySafe: boolean
}

/** @returns the JSON body of a response, or null when it is empty or not JSON (204, a proxy's page). */
async function jsonOf(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '')
  try {
    return text === '' ? null : JSON.parse(text)
  } catch {
    return null
  }
}

/** @returns the URL of a route for an input (params filled in, query appended). */
function urlOf(route: RouteContract | DownloadRoute, input: object): string {
  const parts: { params?: Record<string, string | number>; query?: Record<string, QueryValue> } =
    input
  return routeUrl(route, parts.params, parts.query)
}

/** A small fetch wrapper bound to one relay. */
export class ApiClient {
  private token: string | null = null
  private unauthorizedHandler: (() => void) | null = null
  private reachabilityHandler: ((reachable: boolean) => void) | null = null

  /**
   * @param origin this relay's origin
   * @param others the origins of the deployment's other nodes, tried in turn by retry-safe calls
   */
  constructor(
    private readonly origin: () => string = serverOrigin,
    private readonly others: () => readonly string[] = otherOrigins,
  ) {}

  /** Sets (or clears) the bearer token sent with every call. */
  setToken(token: string | null): void {
    this.token = token
  }

  /** Registers what to do when the relay says the session is gone (401 on an authenticated call). */
  onUnauthorized(handler: () => void): void {
    this.unauthorizedHandler = handler
  }

  /** Registers a listener told, after every call, whether the relay answered at all. */
  onReachability(handler: (reachable: boolean) => void): void {
    this.reachabilityHandler = handler
  }

  /**
   * Calls a JSON route.
   * @returns the route's success body (null for 204)
   * @throws ApiError (code `network` when the relay could not be reached)
   */
  async call<C extends RouteContract>(
    route: C,
    input: RouteInput<C>,
    options: RequestOptions = {},
  ): Promise<RouteOutput<C>> {
    const body: unknown = 'body' in input ? input.body : undefined
    const response = await this.send(
      {
        method: route.method,
        url: urlOf(route, input),
        accept: 'application/json',
        retrySafe: route.method === 'GET' || route.idempotent === true,
        ...(body === undefined
          ? {}
          : { body: { data: JSON.stringify(body), type: 'application/json' } }),
      },
      options,
    )
    // reason: the relay serialises every success through the route's response schema
    // (server/http/contractRoute.ts), so the body has the route's output type.
    return (await jsonOf(response)) as RouteOutput<C>
  }

  /**
   * Sends a file as the raw body of an upload route.
   * @returns the route's success body
   * @throws ApiError
   */
  async upload<C extends UploadRoute>(
    route: C,
    input: RouteInput<C>,
    file: Blob,
    type: string,
  ): Promise<RouteOutput<C>> {
    const response = await this.send({
      method: route.method,
      url: urlOf(route, input),
      accept: 'application/json',
      body: { data: file, type },
      retrySafe: false,
    })
    // reason: as in call(), the body has the route's output type.
    return (await jsonOf(response)) as RouteOutput<C>
  }

  /**
   * Fetches the file a download route answers.
   * @throws ApiError when the relay refuses it
   */
  async download<C extends DownloadRoute>(route: C, input: RouteInput<C>): Promise<FetchedFile> {
    const response = await this.send({
      method: route.method,
      url: urlOf(route, input),
      accept: route.contentType,
      retrySafe: route.method === 'GET',
    })
    return {
      data: new Uint8Array(await response.arrayBuffer()),
      mimeType: response.headers.get('content-type') ?? route.contentType,
    }
  }

  /** @returns the response of a success. @throws ApiError for a failure or an unreachable relay */
  private async send(outgoing: Outgoing, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: outgoing.accept }
    if (!options.anonymous && this.token !== null) {
      headers.authorization = `Bearer ${this.token}`
    }
    if (outgoing.body !== undefined) {
      headers['content-type'] = outgoing.body.type
    }
    const origins = outgoing.retrySafe ? [this.origin(), ...this.others()] : [this.origin()]
    let response: Response | null = null
    let failure: unknown = null
    for (const origin of origins) {
      try {
        response = await fetch(`${origin}${outgoing.url}`, {
          method: outgoing.method,
          headers,
          body: outgoing.body?.data,
          signal: options.signal,
          cache: 'no-store',
        })
        break
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') {
          throw error
        }
        // Unreachable (refused, reset, no route): the next node, if the call may go there.
        failure = error
      }
    }
    if (response === null) {
      this.reachabilityHandler?.(false)
      throw new ApiError('network', failure instanceof Error ? failure.message : String(failure), 0)
    }
    this.reachabilityHandler?.(true)
    if (response.ok) {
      return response
    }
    const error = parseErrorBody(
      response.status,
      await jsonOf(response),
      response.headers.get('retry-after'),
    )
    if (response.status === 401 && !options.anonymous && this.token !== null) {
      this.unauthorizedHandler?.()
    }
    throw error
  }
}

/** The client every store uses. */
export const api = new ApiClient()
