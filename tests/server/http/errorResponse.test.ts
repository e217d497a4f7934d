/** Domain errors reach HTTP clients through one table: the §6 statuses, codes and Retry-After. */
import { describe, expect, test } from 'vitest'
import {
  DomainError,
  badRequest,
  forbidden,
  lockedOut,
  notFound,
  rateLimited,
  unauthorized,
} from '../../../server/domain/errors'
import { errorReply } from '../../../server/http/errorResponse'

describe('errorReply', () => {
  test('each helper answers the status and code clients have always seen', () => {
    const answers = [badRequest('x'), unauthorized(), forbidden(), notFound('文档')].map((e) => {
      const { status, body } = errorReply(e)
      return [status, body.error.code]
    })
    expect(answers).toEqual([
      [400, 'bad_request'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not_found'],
    ])
  })

  test('rate limits and lockouts carry Retry-After in whole seconds', () => {
    expect(errorReply(rateLimited(1500))).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '2' },
      body: { error: { code: 'rate_limited' } },
    })
    expect(errorReply(lockedOut(61_000, 0))).toMatchObject({
      status: 423,
      headers: { 'Retry-After': '61' },
      body: { error: { code: 'locked_out' } },
    })
  })

  test('a wrong current password is a 400 invalid_credentials, not a failed sign-in', () => {
    const reply = errorReply(new DomainError('wrong_current_password', '原密码错误'))
    expect(reply.status).toBe(400)
    expect(reply.body).toEqual({ error: { code: 'invalid_credentials', message: '原密码错误' } })
  })

  test('a service that is not running yet answers 503 internal', () => {
    const reply = errorReply(new DomainError('unavailable', '协作服务未就绪'))
    expect([reply.status, reply.body.error.code]).toEqual([503, 'internal'])
  })
})
