/**
 * The HTTP client of the relay's JSON API: adds the bearer token, parses `{ error: { code, message } }`
 * into an ApiError, and reports a 401 on an authenticated call so the session can end locally.
 *
 * @example
 *   const { documents } = await api.get<{ documents: DocumentSummary[] }>('/documents')
 */
import { ApiError, parseErrorBody } from './errors'
import { serverOrigin } from './endpoint'

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Options of one request. */
export interface RequestOptions {
  /** Send without the token and never treat a 401 as the end of the session (login). */
  readonly anonymous?: boolean
  readonly signal?: AbortSignal
}

/** A small fetch wrapper bound to one relay. */
export class ApiClient {
  private token: string | null = null
  private unauthorizedHandler: (() => void) | null = null
  private reachabilityHandler: ((reachable: boolean) => void) | null = null

  constructor(private readonly base: () => string = () => `${serverOrigin()}/api/v1`) {}

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
   * Sends a request.
   * @returns the parsed JSON body, or null for 204
   * @throws ApiError (code `network` when the relay could not be reached)
   */
  async request<T>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (!options.anonymous && this.token !== null) {
      headers.authorization = `Bearer ${this.token}`
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
    }
    let response: Response
    try {
      response = await fetch(`${this.base()}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
        cache: 'no-store',
      })
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        throw error
      }
      this.reachabilityHandler?.(false)
      throw new ApiError('network', error instanceof Error ? error.message : String(error), 0)
    }
    this.reachabilityHandler?.(true)
    const text = await response.text().catch(() => '')
    let parsed: unknown = null
    if (text !== '') {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = null
      }
    }
    if (!response.ok) {
      const error = parseErrorBody(response.status, parsed, response.headers.get('retry-after'))
      if (response.status === 401 && !options.anonymous && this.token !== null) {
        this.unauthorizedHandler?.()
      }
      throw error
    }
    // reason: the relay's answers are typed by shared/api.ts; the caller names the shape it expects.
    return parsed as T
  }

  /** GET `path`. */
  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, undefined, options)
  }

  /** POST `body` to `path`. */
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, body, options)
  }

  /** PUT `body` to `path`. */
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body)
  }

  /** PATCH `path` with `body`. */
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body)
  }

  /** DELETE `path`. */
  delete<T = null>(path: string): Promise<T> {
    return this.request<T>('DELETE', path)
  }
}

/** The client every store uses. */
export const api = new ApiClient()
