/** SM2 for the relay: the shared implementation (shared/crypto/sm2.ts), which clients use too. */
import { createECDH } from 'node:crypto'
import { isSm2PrivateKey } from '../../shared/crypto/sm2'

export * from '../../shared/crypto/sm2'

/**
 * The public key of an SM2 private key through Node's OpenSSL: the same key as `sm2PublicKeyOf`,
 * without the JavaScript library's first multiplication by the base point, which builds its
 * precomputed tables (some 50 ms of CPU and their memory) — the relay derives its own key at every
 * start and may sign nothing for a long while (issue 23).
 * @param privateKey 64 hex digits in [1, n-2]
 * @returns the uncompressed public key (`04` + 128 hex digits)
 * @throws Error when the private key is not an SM2 private key
 */
export function sm2PublicKeyOfNative(privateKey: string): string {
  const hex = privateKey.toLowerCase()
  if (!isSm2PrivateKey(hex)) {
    throw new Error('SM2 private key must be 64 hex digits in [1, n-2]')
  }
  const ecdh = createECDH('SM2')
  ecdh.setPrivateKey(hex, 'hex')
  return ecdh.getPublicKey('hex', 'uncompressed')
}
