/**
 * The relay's own SM2 key pair, which signs what the relay vouches for (audit checkpoints, and the
 * approvals' evidence). It is `QILU_RELAY_KEY` (the private key, 64 hex digits) when set, else
 * `<dataDir>/relay-sm2.key`, created on first start (0600). The public key is written beside it as
 * `relay-sm2.pub`, logged at start and served at `GET /api/v1/relay/public-key`. Nodes of one
 * deployment should share one key, so that one public key verifies all they sign.
 */
import fs from 'node:fs'
import path from 'node:path'
import { readOrCreateSecret } from './secretFile'
import { generateSm2KeyPair, isSm2PrivateKey, sm2PublicKeyOfNative } from './sm2'
import type { Sm2KeyPair } from './sm2'
import type { Logger } from '../logger'

/** File of the private key in the data directory. */
export const RELAY_KEY_FILE = 'relay-sm2.key'
/** File of the public key in the data directory (not secret). */
export const RELAY_PUBLIC_KEY_FILE = 'relay-sm2.pub'

function pairOf(privateKey: string, origin: string): Sm2KeyPair {
  const hex = privateKey.toLowerCase()
  if (!isSm2PrivateKey(hex)) {
    throw new Error(`${origin} must be an SM2 private key: 64 hex digits`)
  }
  return { privateKey: hex, publicKey: sm2PublicKeyOfNative(hex) }
}

/** @returns the relay's key pair, creating the key file on first start when none is configured. */
export function loadRelayKey(options: {
  readonly relayKey?: string | null | undefined
  readonly dataDir: string
  readonly logger?: Logger
}): Sm2KeyPair {
  if (options.relayKey !== undefined && options.relayKey !== null && options.relayKey !== '') {
    return pairOf(options.relayKey, 'QILU_RELAY_KEY')
  }
  const file = path.join(options.dataDir, RELAY_KEY_FILE)
  const secret = readOrCreateSecret(file, () => generateSm2KeyPair().privateKey)
  if (secret.exposed) {
    options.logger?.warn('the relay key file is readable by others; chmod 600 it', { file })
  }
  const pair = pairOf(secret.value, file)
  fs.writeFileSync(path.join(options.dataDir, RELAY_PUBLIC_KEY_FILE), `${pair.publicKey}\n`)
  return pair
}

/**
 * @returns the relay's public key for a reader (audit:verify), from QILU_RELAY_KEY or the data
 *   directory's key files, never creating one; null when there is none.
 */
export function readRelayPublicKey(options: {
  readonly relayKey?: string | null | undefined
  readonly dataDir: string
}): string | null {
  if (options.relayKey !== undefined && options.relayKey !== null && options.relayKey !== '') {
    return pairOf(options.relayKey, 'QILU_RELAY_KEY').publicKey
  }
  const file = path.join(options.dataDir, RELAY_KEY_FILE)
  if (fs.existsSync(file)) {
    return pairOf(fs.readFileSync(file, 'utf8').trim(), file).publicKey
  }
  const pub = path.join(options.dataDir, RELAY_PUBLIC_KEY_FILE)
  return fs.existsSync(pub) ? fs.readFileSync(pub, 'utf8').trim() : null
}
