import { describe, expect, it } from 'vitest'
import { newId } from '../../../server/auth/secrets'

describe('row ids', () => {
  it('are 128-bit base64url strings that never repeat, across refills of the random pool', () => {
    const ids = Array.from({ length: 256 * 5 + 3 }, () => newId())
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(Buffer.from(id, 'base64url')).toHaveLength(16)
    }
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('draw fresh bytes for every id (no two ids share their first eight bytes)', () => {
    const prefixes = new Set(
      Array.from({ length: 2048 }, () =>
        Buffer.from(newId(), 'base64url').subarray(0, 8).toString('hex'),
      ),
    )
    expect(prefixes.size).toBe(2048)
  })
})
