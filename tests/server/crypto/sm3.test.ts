import { describe, expect, test } from 'vitest'
import { sm3 } from '../../../server/audit/chain'

// GB/T 32905-2016 (SM3) Appendix A example vectors.
describe('SM3', () => {
  test('hashes "abc" to the standard example 1 digest', () => {
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0')
  })

  test('hashes "abcd" × 16 (512 bits) to the standard example 2 digest', () => {
    expect(sm3('abcd'.repeat(16))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    )
  })

  test('hashes the empty message to its known digest', () => {
    expect(sm3('')).toBe('1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b')
  })
})
