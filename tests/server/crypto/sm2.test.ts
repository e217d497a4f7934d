import { describe, expect, test } from 'vitest'
import crypto from 'node:crypto'
import { sm2 } from 'sm-crypto-v2'
import {
  SM2_DEFAULT_USER_ID,
  generateSm2KeyPair,
  isSm2PublicKey,
  sm2PublicKeyOf,
  sm2PublicKeyOfNative,
  sm2Sign,
  sm2Verify,
} from '../../../server/crypto/sm2'

// GB/T 32918.5-2017 (SM2 part 5, parameters), the signature example on the recommended curve:
// user ID 1234567812345678, message "message digest", the private key dA, the random k, and the
// expected public key, e = SM3(Z_A || M) and signature (r, s).
const EXAMPLE = {
  privateKey: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  publicKey:
    '04' +
    '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
    'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  message: 'message digest',
  k: '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
}

/** DER SEQUENCE of two positive 256-bit INTEGERs with the high bit set (each gets a 00 pad). */
function der(r: string, s: string): string {
  return `3046022100${r}022100${s}`
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('SM2 against the GB/T 32918.5 example', () => {
  test('derives the example public key from the example private key', () => {
    expect(sm2PublicKeyOf(EXAMPLE.privateKey)).toBe(EXAMPLE.publicKey)
  })

  test('hashes Z_A with the default user ID and the message to the example e', () => {
    expect(SM2_DEFAULT_USER_ID).toBe('1234567812345678')
    const hex = Buffer.from(EXAMPLE.message).toString('hex')
    expect(sm2.getHash(hex, EXAMPLE.publicKey, SM2_DEFAULT_USER_ID)).toBe(EXAMPLE.e)
  })

  test('signs with the example k to exactly the example (r, s)', () => {
    const k = BigInt(`0x${EXAMPLE.k}`)
    const x1 = BigInt(`0x${sm2PublicKeyOf(EXAMPLE.k).slice(2, 66)}`)
    const signature = sm2.doSignature(bytes(EXAMPLE.message), EXAMPLE.privateKey, {
      hash: true,
      der: true,
      publicKey: EXAMPLE.publicKey,
      userId: SM2_DEFAULT_USER_ID,
      pointPool: [{ k, x1 }],
    })
    expect(signature).toBe(der(EXAMPLE.r, EXAMPLE.s))
  })

  test('verifies the example signature, and refuses it when one byte changes', () => {
    expect(sm2Verify(bytes(EXAMPLE.message), der(EXAMPLE.r, EXAMPLE.s), EXAMPLE.publicKey)).toBe(
      true,
    )
    expect(sm2Verify(bytes('message digesu'), der(EXAMPLE.r, EXAMPLE.s), EXAMPLE.publicKey)).toBe(
      false,
    )
    const s = `${EXAMPLE.s.slice(0, -2)}ab`
    expect(sm2Verify(bytes(EXAMPLE.message), der(EXAMPLE.r, s), EXAMPLE.publicKey)).toBe(false)
  })
})

describe('the relay’s own public key, derived through OpenSSL', () => {
  test('is the example public key for the example private key', () => {
    expect(sm2PublicKeyOfNative(EXAMPLE.privateKey)).toBe(EXAMPLE.publicKey)
  })

  test('is the key the shared implementation derives, for random private keys', () => {
    for (let i = 0; i < 20; i++) {
      const pair = generateSm2KeyPair()
      expect(sm2PublicKeyOfNative(pair.privateKey.toUpperCase())).toBe(pair.publicKey)
      expect(sm2PublicKeyOfNative(pair.privateKey)).toBe(sm2PublicKeyOf(pair.privateKey))
    }
  })

  test('refuses what is no SM2 private key', () => {
    expect(() => sm2PublicKeyOfNative('00'.repeat(32))).toThrow(/SM2 private key/)
    expect(() => sm2PublicKeyOfNative('abc')).toThrow(/SM2 private key/)
  })
})

describe('the relay’s SM2 helper', () => {
  test('signs bytes that verify with the public key only', () => {
    const pair = generateSm2KeyPair()
    const other = generateSm2KeyPair()
    expect(isSm2PublicKey(pair.publicKey)).toBe(true)
    const data = bytes('审计检查点 checkpoint 42')
    const signature = sm2Sign(data, pair.privateKey)
    expect(signature).toMatch(/^30[0-9a-f]+$/)
    expect(sm2Verify(data, signature, pair.publicKey)).toBe(true)
    expect(sm2Verify(data, signature, other.publicKey)).toBe(false)
    expect(sm2Verify(data, 'zz', pair.publicKey)).toBe(false)
    expect(sm2Verify(data, signature, '04abcd')).toBe(false)
  })
})

// Node's OpenSSL 3 signs SM2 keys with SM2 proper but sets no distinguishing ID (Node has no option
// for it), so the cross-check runs with the empty user ID on both sides.
describe('SM2 cross-checked with OpenSSL (through node:crypto)', () => {
  const SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200'
  const pkcs8 = (pair: { privateKey: string; publicKey: string }): string =>
    '308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420' +
    `${pair.privateKey}a144034200${pair.publicKey}`

  test('each verifies the other’s signatures', () => {
    for (let i = 0; i < 5; i++) {
      const pair = generateSm2KeyPair()
      const publicKey = crypto.createPublicKey({
        key: Buffer.from(SPKI_PREFIX + pair.publicKey, 'hex'),
        format: 'der',
        type: 'spki',
      })
      const privateKey = crypto.createPrivateKey({
        key: Buffer.from(pkcs8(pair), 'hex'),
        format: 'der',
        type: 'pkcs8',
      })
      const data = bytes(`交叉校验 ${i}`)
      const ours = sm2.doSignature(data, pair.privateKey, { hash: true, der: true, userId: '' })
      expect(crypto.verify(null, data, publicKey, Buffer.from(ours, 'hex'))).toBe(true)
      const theirs = crypto.sign(null, data, privateKey).toString('hex')
      expect(
        sm2.doVerifySignature(data, theirs, pair.publicKey, { hash: true, der: true, userId: '' }),
      ).toBe(true)
      expect(
        sm2.doVerifySignature(bytes('other'), theirs, pair.publicKey, {
          hash: true,
          der: true,
          userId: '',
        }),
      ).toBe(false)
    }
  })
})
