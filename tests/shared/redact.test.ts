import { describe, expect, test } from 'vitest'
import { REDACTED, redactFields, redactText } from '../../shared/redact'

describe('log redaction', () => {
  test('a token in a URL, a bearer header and a password in a form body are replaced', () => {
    expect(redactText('GET /sync/doc:1?token=abc.DEF-123&x=1')).toBe(
      `GET /sync/doc:1?token=${REDACTED}&x=1`,
    )
    expect(redactText('authorization: Bearer eyJ0eXAi.abc_def=')).toBe(
      `authorization: Bearer ${REDACTED}`,
    )
    expect(redactText('user=a&password=Qilu#2026pass')).toBe(`user=a&password=${REDACTED}`)
  })

  test('secret fields are replaced at any depth, and other fields are kept', () => {
    const out = redactFields({
      user: 'u1',
      password: 'Qilu#2026pass',
      body: { oldPassword: 'x', newPassword: 'y', nested: [{ activationCode: 'K7Q2' }] },
      url: '/sync/doc:1?token=secret',
      error: { code: 'invalid_credentials' },
    })
    expect(out).toEqual({
      user: 'u1',
      password: REDACTED,
      body: {
        oldPassword: REDACTED,
        newPassword: REDACTED,
        nested: [{ activationCode: REDACTED }],
      },
      url: `/sync/doc:1?token=${REDACTED}`,
      error: { code: 'invalid_credentials' },
    })
  })
})
