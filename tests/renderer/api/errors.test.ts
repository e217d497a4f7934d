import { describe, expect, test } from 'vitest'
import {
  ApiError,
  errorMessage,
  formatClock,
  parseErrorBody,
  passwordRuleKey,
  timeInMessage,
} from '../../../renderer/src/api/errors'
import { zhCN } from '../../../renderer/src/i18n/messages'

/** Resolves `errors.xxx` against the zh-CN table, filling `{name}` parameters. */
function zh(message: { key: string; params: Readonly<Record<string, string>> }): string {
  const [table, name] = message.key.split('.')
  const tables: Record<string, Record<string, string>> = {
    errors: zhCN.errors,
    password: zhCN.password,
  }
  const template = tables[table ?? '']?.[name ?? ''] ?? message.key
  return template.replace(/\{(\w+)\}/g, (_, key: string) => message.params[key] ?? '')
}

describe('error messages', () => {
  test('wrong credentials read 用户名或密码错误', () => {
    const error = parseErrorBody(401, {
      error: { code: 'invalid_credentials', message: '用户名或密码错误 (wrong)' },
    })
    expect(zh(errorMessage(error, 'login'))).toBe('用户名或密码错误')
  })

  test('a locked account shows the local unlock time taken from the server message', () => {
    const until = new Date(Date.now() + 15 * 60_000)
    const error = new ApiError(
      'locked_out',
      `账号已锁定，请于 ${until.toISOString()} 后重试 (locked until …)`,
      423,
    )
    const text = zh(errorMessage(error, 'login'))
    expect(text).toBe(`账号已锁定，请于 ${formatClock(until)} 后重试`)
    expect(text).toMatch(/\d{2}:\d{2}/)
  })

  test('a locked account without a time in the message still explains the lockout', () => {
    expect(zh(errorMessage(new ApiError('locked_out', '', 423), 'login'))).toContain('锁定')
  })

  test('the failure that trips the lockout mentions the unlock time', () => {
    const until = new Date(Date.now() + 60_000).toISOString()
    const error = new ApiError(
      'invalid_credentials',
      `用户名或密码错误；连续失败 5 次，账号已锁定至 ${until}`,
      401,
    )
    expect(zh(errorMessage(error, 'login'))).toContain('锁定至')
  })

  test('an unreachable relay reads 无法连接服务器', () => {
    expect(zh(errorMessage(new ApiError('network', 'Failed to fetch', 0)))).toBe('无法连接服务器')
  })

  test('on the password form, invalid credentials mean the old password was wrong', () => {
    const error = new ApiError('invalid_credentials', '原密码错误', 400)
    expect(zh(errorMessage(error, 'password'))).toBe('当前密码或激活码不正确')
  })

  test('a weak password shows the rule the relay names', () => {
    const error = new ApiError('weak_password', '密码至少 8 位 (at least 8 characters)', 400)
    expect(zh(errorMessage(error, 'password'))).toContain('密码至少 8 位')
    expect(zh({ key: passwordRuleKey('contains_username'), params: {} })).toBe('密码不能包含用户名')
  })

  test('bodies that are not API errors still map to a translatable code', () => {
    expect(parseErrorBody(502, '<html>bad gateway</html>').code).toBe('internal')
    expect(parseErrorBody(401, null).code).toBe('unauthorized')
    expect(parseErrorBody(400, { error: { code: 'nonsense', message: 'x' } }).code).toBe(
      'bad_request',
    )
    expect(zh(errorMessage(new Error('boom')))).toBe('操作失败，请重试')
  })

  test('a rate-limited answer says how many seconds to wait, from Retry-After', () => {
    const error = parseErrorBody(
      429,
      { error: { code: 'rate_limited', message: 'too many attempts; retry in 42 s' } },
      '42',
    )
    expect(zh(errorMessage(error, 'login'))).toBe('尝试过于频繁，请 42 秒后再试')
    expect(zh(errorMessage(error, 'password'))).toBe('尝试过于频繁，请 42 秒后再试')
  })

  test('without Retry-After the wait comes from the server message, else it is left out', () => {
    const fromMessage = parseErrorBody(429, {
      error: { code: 'rate_limited', message: '尝试过于频繁，请 90 秒后再试 (retry in 90 s)' },
    })
    expect(zh(errorMessage(fromMessage, 'login'))).toBe('尝试过于频繁，请 90 秒后再试')
    const unknown = parseErrorBody(429, { error: { code: 'rate_limited', message: '' } })
    expect(zh(errorMessage(unknown))).toBe('操作过于频繁，请稍后再试')
  })

  test('a common password is refused with the reason in Chinese only', () => {
    const error = parseErrorBody(400, {
      error: {
        code: 'weak_password',
        message: '密码过于常见或容易被猜到，请换一个更不易猜到的密码 (too common or easy to guess)',
      },
    })
    expect(zh(errorMessage(error, 'password'))).toBe(
      '密码不符合安全要求：密码过于常见或容易被猜到，请换一个更不易猜到的密码',
    )
  })

  test('every error key the mapping can produce exists in both languages', async () => {
    const { en } = await import('../../../renderer/src/i18n/messages')
    const codes = [
      'network',
      'bad_request',
      'unauthorized',
      'invalid_credentials',
      'locked_out',
      'password_change_required',
      'weak_password',
      'forbidden',
      'not_found',
      'conflict',
      'rate_limited',
      'internal',
    ] as const
    for (const code of codes) {
      for (const context of ['login', 'password', 'general'] as const) {
        const [, name] = errorMessage(new ApiError(code, '', 400), context).key.split('.')
        expect(Object.keys(zhCN.errors)).toContain(name)
        expect(Object.keys(en.errors)).toContain(name)
      }
    }
  })

  test('timestamps are found inside bilingual messages', () => {
    expect(timeInMessage('请于 2026-03-01T08:15:00.000Z 后重试')?.toISOString()).toBe(
      '2026-03-01T08:15:00.000Z',
    )
    expect(timeInMessage('no time here')).toBeNull()
  })
})
