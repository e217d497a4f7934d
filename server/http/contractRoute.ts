/**
 * Registers handlers for routes declared in shared/http (the HTTP contract). A route's guard
 * (who may call it: authentication, a role) runs first, so an unauthenticated or forbidden caller is
 * answered 401/403 whatever it sent; then Fastify validates the params, query and body with the
 * route's zod schemas (a failure answers 400 `bad_request` naming the first problem) and the handler
 * runs; its answer is serialised through the response schema, so a handler cannot answer a shape
 * the contract does not declare (undeclared fields are dropped; in tests, QILU_STRICT_CONTRACTS=1
 * turns a dropped field into a failure so that a schema missing one is noticed).
 *
 * @example
 *   handle(app, createDocument, signedIn, async ({ auth, body }) =>
 *     documents.create(auth.user, body.title, body.docType),
 *   )
 */
import { isDeepStrictEqual } from 'node:util'
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  FastifySchemaCompiler,
} from 'fastify'
import { serializerCompiler } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import type { DownloadRoute, RouteContract } from '../../shared/http/contract'
import { badRequest } from '../errors'

/** What a handler gets. */
export interface HandlerInput<P, Q, B, A> {
  readonly params: P
  readonly query: Q
  readonly body: B
  /** What the route's guard returned (the principal, the acting administrator, …). */
  readonly auth: A
  readonly request: FastifyRequest
  readonly reply: FastifyReply
}

/** What Fastify tells a schema compiler about the schema it compiles. */
type SchemaDefinition = Parameters<FastifySchemaCompiler<z.ZodType>>[0]

/**
 * Decides whether a request may reach its route.
 * @returns what the handler needs of the caller
 * @throws to refuse it (401, 403)
 */
export type Guard<A> = (request: FastifyRequest) => Promise<A>

/** A JSON route's handler: the success body, or `reply` when it has answered itself (bytes). */
export type Handler<P, Q, B, A, R> = (input: HandlerInput<P, Q, B, A>) => Promise<R | FastifyReply>

/** What each request's guard returned, for its handler (weak: gone with the request). */
const guardResults = new WeakMap<FastifyRequest, unknown>()

/** Options of useContracts. */
export interface ContractOptions {
  /** Fail a response that carries fields its schema does not declare (tests); else they are dropped. */
  readonly strictResponses?: boolean
}

/** Installs the zod validator and serialiser (once per app, before routes are added). */
export function useContracts(
  app: FastifyInstance,
  options: ContractOptions = { strictResponses: process.env.QILU_STRICT_CONTRACTS === '1' },
): void {
  app.setValidatorCompiler<z.ZodType>(validatorFor)
  app.setSerializerCompiler<z.ZodType>(
    options.strictResponses === true ? strictSerializerFor : serializerCompiler,
  )
}

/** @returns the 400 of an invalid request, naming its first problem. */
function invalidRequest(issues: readonly z.core.$ZodIssue[]): Error {
  const issue = issues[0]
  const where = issue?.path.map(String).join('.') ?? ''
  return badRequest(
    `请求参数无效 (invalid request): ${where ? `${where}: ` : ''}${issue?.message ?? ''}`,
  )
}

function validatorFor({ schema, httpPart }: SchemaDefinition) {
  return (data: unknown): { value: unknown } | { error: Error } => {
    // Fastify hands a missing body over as null; an empty body means "nothing set", as {}.
    const result = schema.safeParse(httpPart === 'body' ? (data ?? {}) : data)
    return result.success ? { value: result.data } : { error: invalidRequest(result.error.issues) }
  }
}

function strictSerializerFor(definition: SchemaDefinition) {
  const serialize = serializerCompiler(definition)
  return (data: unknown): string => {
    const json = serialize(data)
    if (!isDeepStrictEqual(JSON.parse(json), JSON.parse(JSON.stringify(data)))) {
      const route = `${definition.method} ${definition.url}`
      throw new Error(`${route}: the answer carries fields its response schema does not declare`)
    }
    return json
  }
}

function schemaOf(route: {
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  status?: number
  response?: z.ZodType
}): FastifySchema {
  return {
    ...(route.params === undefined ? {} : { params: route.params }),
    ...(route.query === undefined ? {} : { querystring: route.query }),
    ...(route.body === undefined ? {} : { body: route.body }),
    ...(route.status === undefined || route.status === 204 || route.response === undefined
      ? {}
      : { response: { [route.status]: route.response } }),
  }
}

/** @returns the route option that runs `guard` before validation, or none. */
function guardHook<A>(guard: Guard<A> | null) {
  return guard === null
    ? {}
    : {
        preValidation: async (request: FastifyRequest): Promise<void> => {
          guardResults.set(request, await guard(request))
        },
      }
}

/** @returns what a handler gets of a request that passed its guard and its schemas. */
function inputOf<P, Q, B, A>(
  request: FastifyRequest,
  reply: FastifyReply,
): HandlerInput<P, Q, B, A> {
  // reason: Fastify types the parts loosely; the validator compiler has checked each against the
  // route's schema (and replaced it with the parsed value), and the guard stored `auth`, before
  // any handler runs.
  return {
    params: request.params as P,
    query: request.query as Q,
    body: request.body as B,
    auth: guardResults.get(request) as A,
    request,
    reply,
  }
}

/** Output types of a route's schemas. */
type Out<T extends z.ZodType> = z.output<T>

function register<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  A,
>(
  app: FastifyInstance,
  route: RouteContract<P, Q, B, R>,
  guard: Guard<A> | null,
  handler: Handler<Out<P>, Out<Q>, Out<B>, A, Out<R>>,
): void {
  app.route({
    method: route.method,
    url: route.path,
    ...(route.maxBytes === undefined ? {} : { bodyLimit: route.maxBytes }),
    schema: schemaOf(route),
    ...guardHook(guard),
    handler: async (request, reply) => {
      const result = await handler(inputOf(request, reply))
      if (result === reply) {
        return reply
      }
      reply.code(route.status)
      return route.status === 204 ? reply.send() : result
    },
  })
}

/** Registers `handler` for a public `route` (no guard). */
export function handle<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(
  app: FastifyInstance,
  route: RouteContract<P, Q, B, R>,
  handler: Handler<Out<P>, Out<Q>, Out<B>, undefined, Out<R>>,
): void
/** Registers `handler` for `route`, behind `guard` (which runs before the request is validated). */
export function handle<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  A,
>(
  app: FastifyInstance,
  route: RouteContract<P, Q, B, R>,
  guard: Guard<A>,
  handler: Handler<Out<P>, Out<Q>, Out<B>, A, Out<R>>,
): void
export function handle<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  A,
>(
  app: FastifyInstance,
  route: RouteContract<P, Q, B, R>,
  ...rest:
    | [Handler<Out<P>, Out<Q>, Out<B>, undefined, Out<R>>]
    | [Guard<A>, Handler<Out<P>, Out<Q>, Out<B>, A, Out<R>>]
): void {
  if (rest.length === 1) {
    register(app, route, null, rest[0])
  } else {
    register(app, route, rest[0], rest[1])
  }
}

/**
 * Registers a download route behind `guard`: the handler answers the file itself through `reply`
 * (its type, its Content-Disposition); errors are JSON as everywhere.
 */
export function handleDownload<P extends z.ZodType, Q extends z.ZodType, A>(
  app: FastifyInstance,
  route: DownloadRoute<P, Q>,
  guard: Guard<A> | null,
  handler: (input: HandlerInput<z.output<P>, z.output<Q>, undefined, A>) => Promise<FastifyReply>,
): void {
  app.route({
    method: route.method,
    url: route.path,
    schema: schemaOf(route),
    ...guardHook(guard),
    handler: async (request, reply) => handler(inputOf(request, reply)),
  })
}

/** @returns `attachment; filename*=…` for a file the browser should save as `name`. */
export function attachment(name: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`
}
