/**
 * Password hashing (scrypt), session tokens and activation codes.
 * Tokens and activation codes are random and high-entropy, so a fast hash (SHA-256) is enough to
 * store them; passwords are low-entropy and get scrypt.
 */
import { randomBytes, randomFillSync, scrypt, timingSafeEqual, createHash } from 'node:crypto'

const SCRYPT_N = 16384
const SCRYPT_R = 8
const SCRYPT_P = 1
const KEY_LENGTH = 32

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/** @returns an encoded scrypt hash `scrypt$N$r$p$salt$key` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt)
  return [
    'scrypt',
    SCRYPT_N,
    SCRYPT_R,
    SCRYPT_P,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$')
}

/** @returns whether `password` matches an encoded hash from hashPassword. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    return false
  }
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string]
  const expected = Buffer.from(keyText, 'base64url')
  const key = await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password,
      Buffer.from(saltText, 'base64url'),
      expected.length,
      { N: Number(n), r: Number(r), p: Number(p) },
      (err, derived) => (err ? reject(err) : resolve(derived)),
    )
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** @returns a new opaque session token (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** @returns the SHA-256 (hex) under which a token or code is stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** @returns a one-time activation code: 20 characters of a 32-letter alphabet (100 bits), grouped by 5. */
export function newActivationCode(): string {
  const bytes = randomBytes(20)
  let code = ''
  for (let i = 0; i < bytes.length; i++) {
    code += CODE_ALPHABET[bytes[i]! % 32]
    if (i % 5 === 4 && i < bytes.length - 1) {
      code += '-'
    }
  }
  return code
}

/** Random bytes for ids, filled 256 ids at a time: one call into the CSPRNG per id cost more than the id. */
const idPool = Buffer.allocUnsafe(16 * 256)
let idOffset = idPool.length

/** @returns a random id for rows (128 bits, base64url, URL- and room-name-safe). */
export function newId(): string {
  if (idOffset === idPool.length) {
    // Each byte is used once: the pool is refilled from the CSPRNG before any is reused.
    randomFillSync(idPool)
    idOffset = 0
  }
  const id = idPool.toString('base64url', idOffset, idOffset + 16)
  idOffset += 16
  return id
}

/** @returns whether two secrets' hashes are equal, in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
