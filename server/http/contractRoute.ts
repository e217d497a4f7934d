/**
 * Registers a handler for a route declared in shared/http (the HTTP contract): Fastify validates the
 * params, query and body with the route's zod schemas (fastify-type-provider-zod; a failure answers
 * 400 `bad_request` through the error handler) and serialises the success through the response
 * schema, so a handler cannot answer a shape the contract does not declare.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import type { RouteContract } from '../../shared/http/contract'

/** What a handler gets. */
export interface HandlerInput<P, Q, B> {
  readonly params: P
  readonly query: Q
  readonly body: B
  readonly request: FastifyRequest
  readonly reply: FastifyReply
}

/** Installs the zod validator and serialiser (once per app, before routes are added). */
export function useContracts(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
}

/** Registers `handler` for `route`. */
export function handle<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(
  app: FastifyInstance,
  route: RouteContract<P, Q, B, R>,
  handler: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.output<R>>,
): void {
  app.route({
    method: route.method,
    url: route.path,
    schema: {
      ...(route.params === undefined ? {} : { params: route.params }),
      ...(route.query === undefined ? {} : { querystring: route.query }),
      ...(route.body === undefined ? {} : { body: route.body }),
      ...(route.status === 204 ? {} : { response: { [route.status]: route.response } }),
    },
    handler: async (request, reply) => {
      const result = await handler({
        // The validator compiler has checked each against its schema before the handler runs.
        params: request.params as z.output<P>,
        query: request.query as z.output<Q>,
        body: request.body as z.output<B>,
        request,
        reply,
      })
      reply.code(route.status)
      return route.status === 204 ? reply.send() : result
    },
  })
}
