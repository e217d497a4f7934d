/**
 * The audit key: the secret of the chain's HMAC-SM3, kept out of the database. It is
 * `QILU_AUDIT_KEY` (hex, at least 32 bytes) when set, else `<dataDir>/audit.key`, created on first
 * start. Every relay node on one database must use the same key.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { readOrCreateSecret } from '../crypto/secretFile'
import type { Logger } from '../logger'

/** File name of the audit key in the data directory. */
export const AUDIT_KEY_FILE = 'audit.key'

const KEY_HEX = /^(?:[0-9a-fA-F]{2}){32,}$/

/** @returns the key bytes of a hex key. @throws when it is not at least 32 bytes of hex. */
export function parseAuditKey(hex: string, origin: string): Buffer {
  if (!KEY_HEX.test(hex)) {
    throw new Error(`${origin} must be at least 32 bytes in hex (64 hex digits)`)
  }
  return Buffer.from(hex, 'hex')
}

/**
 * @returns the configured audit key, creating the key file when there is neither it nor a
 *   configured key.
 */
export function loadAuditKey(options: {
  readonly auditKey?: string | null | undefined
  readonly dataDir: string
  readonly logger?: Logger
}): Buffer {
  if (options.auditKey !== undefined && options.auditKey !== null && options.auditKey !== '') {
    return parseAuditKey(options.auditKey, 'QILU_AUDIT_KEY')
  }
  const file = path.join(options.dataDir, AUDIT_KEY_FILE)
  const secret = readOrCreateSecret(file, () => randomBytes(32).toString('hex'))
  if (secret.created) {
    options.logger?.warn('audit key created; back it up, and give every relay node the same key', {
      file,
    })
  }
  if (secret.exposed) {
    options.logger?.warn('the audit key file is readable by others; chmod 600 it', { file })
  }
  return parseAuditKey(secret.value, file)
}

/** @returns the audit key for a reader (audit:verify), which never creates one; null when there is none. */
export function readAuditKey(options: {
  readonly auditKey?: string | null | undefined
  readonly dataDir: string
}): Buffer | null {
  if (options.auditKey !== undefined && options.auditKey !== null && options.auditKey !== '') {
    return parseAuditKey(options.auditKey, 'QILU_AUDIT_KEY')
  }
  const file = path.join(options.dataDir, AUDIT_KEY_FILE)
  if (!fs.existsSync(file)) {
    return null
  }
  return parseAuditKey(fs.readFileSync(file, 'utf8').trim(), file)
}
