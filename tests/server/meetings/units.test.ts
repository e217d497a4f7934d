/**
 * The meetings' pure parts: QILU_CHECKIN_TOKEN_TTL_S (default 60, at most 120), the token judge
 * (order of refusals), half-open slot search with opening hours, `.ics` folding and escaping.
 */
import { describe, expect, test } from 'vitest'
import { loadConfig } from '../../../server/config'
import { checkinKey, issueToken, judgeToken } from '../../../server/meetings/checkinToken'
import { escapeText, fold } from '../../../server/meetings/ics'
import { earliestFree, nextOpen } from '../../../server/meetings/slots'
import { shanghaiIso } from '../../../server/meetings/time'

describe('meetings, pure parts', () => {
  test('QILU_CHECKIN_TOKEN_TTL_S: default 60, at most 120, a positive integer', () => {
    expect(loadConfig({}).checkinTokenTtlS).toBe(60)
    expect(loadConfig({ QILU_CHECKIN_TOKEN_TTL_S: '120' }).checkinTokenTtlS).toBe(120)
    expect(() => loadConfig({ QILU_CHECKIN_TOKEN_TTL_S: '121' })).toThrow(/at most 120/)
    expect(() => loadConfig({ QILU_CHECKIN_TOKEN_TTL_S: '0' })).toThrow()
    expect(() => loadConfig({ QILU_CHECKIN_TOKEN_TTL_S: 'x' })).toThrow()
  })

  test('tokens: good until expiry; another meeting’s is bad whatever its age; expiry beyond the TTL is bad', () => {
    const key = checkinKey(Buffer.alloc(32, 7))
    const now = 1_800_000_000_000
    const good = issueToken(key, 'm1', now + 60_000)
    expect(judgeToken(key, good, 'm1', now, 120_000)).toBeNull()
    expect(judgeToken(key, good, 'm1', now + 60_000, 120_000)).toBe('token_expired')
    expect(judgeToken(key, good, 'm2', now, 120_000)).toBe('bad_token')
    expect(judgeToken(key, good, 'm2', now + 10 * 60_000, 120_000)).toBe('bad_token')
    expect(judgeToken(key, issueToken(key, 'm1', now + 121_000), 'm1', now, 120_000)).toBe(
      'bad_token',
    )
    const other = checkinKey(Buffer.alloc(32, 8))
    expect(judgeToken(key, issueToken(other, 'm1', now + 1000), 'm1', now, 120_000)).toBe(
      'bad_token',
    )
    expect(judgeToken(key, `${good}x`, 'm1', now, 120_000)).toBe('bad_token')
  })

  test('slots are half-open and keep to opening hours (Asia/Shanghai)', () => {
    const nine = Date.parse('2027-08-02T09:00:00+08:00')
    const hour = 3_600_000
    const busy = [{ start: nine, end: nine + hour }]
    expect(earliestFree(busy, nine, nine + 10 * hour, hour, null)).toBe(nine + hour)
    expect(earliestFree(busy, nine - hour, nine + 10 * hour, hour, null)).toBe(nine - hour)
    const hours = { from: '09:00', to: '17:00' }
    expect(shanghaiIso(nextOpen(nine + 7.5 * hour, hour, hours)!)).toBe('2027-08-03T09:00:00+08:00')
    expect(nextOpen(nine, 9 * hour, hours)).toBeNull()
  })

  test('.ics text is escaped and folded at 75 octets without splitting characters', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne')
    const line = `SUMMARY:${'会议'.repeat(40)}`
    const folded = fold(line)
    for (const part of folded.split('\r\n')) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75)
    }
    expect(folded.replace(/\r\n /g, '')).toBe(line)
  })
})
