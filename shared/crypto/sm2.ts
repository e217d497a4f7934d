/**
 * SM2 signatures (GB/T 32918.2, on the recommended curve of GB/T 32918.5) over bytes: the signer's
 * Z value with the default user ID `1234567812345678`, SM3, and the signature DER-encoded, hex.
 * The relay signs its audit checkpoints and the approvals' evidence with this; devices sign their
 * approval actions with it (renderer, desktop main process); everyone verifies with it.
 *
 * ```ts
 * const pair = generateSm2KeyPair()
 * const signature = sm2Sign(bytes, pair.privateKey)
 * sm2Verify(bytes, signature, pair.publicKey) // true
 * ```
 *
 * Signing costs a few milliseconds and verifying tens in JavaScript: keep bulk verification off the
 * relay's main thread.
 */
import { sm2 } from 'sm-crypto-v2'

/** The user ID (distinguishing identifier) of GB/T 32918 used when none is agreed. */
export const SM2_DEFAULT_USER_ID = '1234567812345678'

/** An SM2 key pair: private key 64 hex digits, public key uncompressed (`04` + 128 hex digits). */
export interface Sm2KeyPair {
  readonly privateKey: string
  readonly publicKey: string
}

const PRIVATE_KEY = /^[0-9a-f]{64}$/
const PUBLIC_KEY = /^04[0-9a-f]{128}$/
/** The order n of the recommended curve: a private key is in [1, n − 2]. */
const CURVE_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n

/** @returns whether `hex` is a usable SM2 private key (64 hex digits, 1 ≤ d ≤ n − 2). */
export function isSm2PrivateKey(hex: string): boolean {
  if (!PRIVATE_KEY.test(hex)) {
    return false
  }
  const d = BigInt(`0x${hex}`)
  return d >= 1n && d <= CURVE_ORDER - 2n
}

/** @returns whether `hex` is an uncompressed public key on the curve. */
export function isSm2PublicKey(hex: string): boolean {
  if (!PUBLIC_KEY.test(hex)) {
    return false
  }
  try {
    return sm2.verifyPublicKey(hex)
  } catch {
    // sm-crypto-v2 throws "bad point: is not on curve" rather than answering false.
    return false
  }
}

/** @returns a fresh key pair from the system's CSPRNG. */
export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const pair = sm2.generateKeyPairHex()
    const privateKey = pair.privateKey.padStart(64, '0')
    if (isSm2PrivateKey(privateKey)) {
      return { privateKey, publicKey: pair.publicKey }
    }
  }
}

/** @returns the uncompressed public key of a private key. @throws on a malformed key. */
export function sm2PublicKeyOf(privateKey: string): string {
  const hex = privateKey.toLowerCase()
  if (!isSm2PrivateKey(hex)) {
    throw new Error('SM2 private key must be 64 hex digits in [1, n-2]')
  }
  return sm2.getPublicKeyFromPrivateKey(hex)
}

/**
 * Signs `data`. Pass the public key when it is known, so it need not be derived again.
 * @returns the DER signature, hex.
 */
export function sm2Sign(data: Uint8Array, privateKey: string, publicKey?: string): string {
  return sm2.doSignature(data, privateKey.toLowerCase(), {
    der: true,
    hash: true,
    publicKey: publicKey ?? sm2PublicKeyOf(privateKey),
    userId: SM2_DEFAULT_USER_ID,
  })
}

/** @returns whether `signature` (DER, hex) is the key's signature of `data`; false on any malformed input. */
export function sm2Verify(data: Uint8Array, signature: string, publicKey: string): boolean {
  if (!isSm2PublicKey(publicKey) || !/^(?:[0-9a-f]{2})+$/i.test(signature)) {
    return false
  }
  try {
    return sm2.doVerifySignature(data, signature.toLowerCase(), publicKey, {
      der: true,
      hash: true,
      userId: SM2_DEFAULT_USER_ID,
    })
  } catch {
    return false
  }
}
