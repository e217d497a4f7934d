/** What route modules share: services, request authentication and body validation. */
import type { FastifyRequest } from 'fastify'
import type { ZodType } from 'zod'
import type { AccountService, Principal } from '../services/AccountService'
import type { DocumentService } from '../services/DocumentService'
import type { Storage } from '../storage/Storage'
import type { MetricsExtension } from '../extensions/MetricsExtension'
import { badRequest, unauthorized } from '../errors'

/** Dependencies of the HTTP routes. */
export interface HttpContext {
  readonly storage: Storage
  readonly accounts: AccountService
  readonly documents: DocumentService
  readonly metrics: MetricsExtension
}

/** @returns the bearer token of a request, or '' when there is none. */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? ''
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : ''
}

/** @throws ApiError 401 unless the request carries a live session. */
export async function principalOf(context: HttpContext, request: FastifyRequest): Promise<Principal> {
  const token = bearerToken(request)
  if (token === '') {
    throw unauthorized()
  }
  return context.accounts.requirePrincipal(token)
}

/** @returns the body parsed by `schema`. @throws ApiError 400 naming the first problem. */
export function parseBody<T>(schema: ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.join('.') ?? ''
    throw badRequest(`请求参数无效 (invalid request): ${where ? `${where}: ` : ''}${issue?.message ?? ''}`)
  }
  return result.data
}
