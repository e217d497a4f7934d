import { describe, expect, test } from 'vitest'
import { parseSyncTarget, redactSecrets, redactUrl } from '../../../server/relay/syncTarget'

const TOKEN = 'Abcdefghijklmnopqrstuvwxyz0123456789_-ABCD'

describe('reading an upgrade target', () => {
  test('a sync target gives its decoded room and token, in origin-form and absolute-form', () => {
    expect(parseSyncTarget('/sync/doc%3Aabc?token=t1')).toEqual({
      kind: 'sync',
      roomName: 'doc:abc',
      token: 't1',
    })
    expect(parseSyncTarget('http://relay.example/sync/doc:abc?token=t2')).toEqual({
      kind: 'sync',
      roomName: 'doc:abc',
      token: 't2',
    })
    expect(parseSyncTarget('/sync/doc:abc')).toEqual({
      kind: 'sync',
      roomName: 'doc:abc',
      token: '',
    })
  })

  test('broken escapes and broken URLs are malformed, other paths elsewhere, and nothing throws', () => {
    expect(parseSyncTarget('/sync/doc:%E0%A4%A?token=x')).toEqual({ kind: 'malformed' })
    expect(parseSyncTarget('http://[zz/sync/x')).toEqual({ kind: 'malformed' })
    expect(parseSyncTarget('/sync/a/b')).toEqual({ kind: 'elsewhere' })
    expect(parseSyncTarget('/api/v1/health')).toEqual({ kind: 'elsewhere' })
    expect(parseSyncTarget(undefined)).toEqual({ kind: 'elsewhere' })
    expect(parseSyncTarget('/sync/doc:a?token=%E0%A4%A')).toMatchObject({
      kind: 'sync',
      roomName: 'doc:a',
    })
  })

  test('URLs are logged without tokens, query values or token-shaped runs, and bounded', () => {
    expect(redactUrl(`/sync/doc:a?token=${TOKEN}&x=1`)).toBe('/sync/doc:a?token=[redacted]&x=…')
    expect(redactUrl(`/sync/${TOKEN}`)).toBe('/sync/[redacted]')
    expect(redactUrl('/sync/doc:3f1c2a9e-7b4d-4c1e-9a0b-1234567890ab')).toBe(
      '/sync/doc:3f1c2a9e-7b4d-4c1e-9a0b-1234567890ab',
    )
    expect(redactUrl('/' + 'a/'.repeat(500)).length).toBeLessThanOrEqual(201)
    expect(redactSecrets(`Error at http://x/sync/y?Token=${TOKEN.slice(0, 10)}`)).not.toContain(
      TOKEN.slice(0, 10),
    )
  })
})
