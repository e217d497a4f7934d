/**
 * This device's SM2 keys for approvals, one per account, each in its own file under the user data
 * folder, encrypted by the OS key store (the `SecretCipher` over safeStorage). The private key never
 * leaves the main process: the renderer gets the public key and signatures only.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  generateSm2KeyPair,
  isSm2PrivateKey,
  sm2PublicKeyOf,
  sm2Sign,
} from '../../../shared/crypto/sm2'
import type { Sm2KeyPair } from '../../../shared/crypto/sm2'
import type { Logger } from '../logger'
import { describeError } from '../logger'
import type { SecretCipher } from './CredentialStore'
import { ServiceFailure } from './desktopServices'

const FORMAT_VERSION = 1

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT'
}

/** @returns the private key a decrypted file holds, or null for an unknown format. */
function privateKeyOf(text: string): string | null {
  const stored: unknown = JSON.parse(text)
  if (typeof stored !== 'object' || stored === null) {
    return null
  }
  const record: Partial<Record<string, unknown>> = { ...stored }
  return record.v === FORMAT_VERSION &&
    typeof record.privateKey === 'string' &&
    isSm2PrivateKey(record.privateKey)
    ? record.privateKey
    : null
}

/** Device keys on disk, readable only through the cipher. */
export class DeviceKeyStore {
  /**
   * @param folder where the key files live (one per account)
   * @param cipher the OS-backed cipher
   * @param logger where unreadable files are reported
   */
  constructor(
    private readonly folder: string,
    private readonly cipher: SecretCipher,
    private readonly logger: Logger,
  ) {}

  /** @returns the account's key pair, or null when this device has none (or lost it). */
  async load(account: string): Promise<Sm2KeyPair | null> {
    this.requireCipher()
    let encrypted: Uint8Array
    try {
      encrypted = await fs.readFile(this.fileOf(account))
    } catch (error) {
      if (isMissingFile(error)) {
        return null
      }
      throw error
    }
    try {
      const privateKey = privateKeyOf(this.cipher.decrypt(encrypted))
      if (privateKey !== null) {
        return { privateKey, publicKey: sm2PublicKeyOf(privateKey) }
      }
      this.logger.warn('device key file has an unknown format', { account })
    } catch (error) {
      this.logger.warn('device key file cannot be decrypted', {
        account,
        error: describeError(error),
      })
    }
    // Kept aside rather than deleted: it may decrypt again under the right OS user.
    return null
  }

  /** @returns the account's public key, making the key pair first when there is none. */
  async create(account: string): Promise<string> {
    const existing = await this.load(account)
    if (existing !== null) {
      return existing.publicKey
    }
    const pair = generateSm2KeyPair()
    const encrypted = this.cipher.encrypt(
      JSON.stringify({ v: FORMAT_VERSION, privateKey: pair.privateKey }),
    )
    await fs.mkdir(this.folder, { recursive: true, mode: 0o700 })
    // Written aside and renamed into place: a crash leaves no half key.
    const file = this.fileOf(account)
    const temporary = `${file}.${randomUUID()}.tmp`
    try {
      await fs.writeFile(temporary, encrypted, { mode: 0o600 })
      await fs.rename(temporary, file)
    } catch (error) {
      await fs.rm(temporary, { force: true })
      throw error
    }
    return pair.publicKey
  }

  /**
   * @returns the SM2 signature (SM3, DER, hex) of `data` by the account's key.
   * @throws ServiceFailure `failed` when this device has no key for the account
   */
  async sign(account: string, data: Uint8Array): Promise<string> {
    const pair = await this.load(account)
    if (pair === null) {
      throw new ServiceFailure('failed', 'no device key for this account')
    }
    return sm2Sign(data, pair.privateKey, pair.publicKey)
  }

  /** Forgets the account's key; forgetting nothing is fine. */
  async forget(account: string): Promise<void> {
    await fs.rm(this.fileOf(account), { force: true })
  }

  private fileOf(account: string): string {
    // The account id was validated (letters, digits, - and _), so it is a file name, never a path.
    return path.join(this.folder, `${account}.sm2`)
  }

  private requireCipher(): void {
    if (!this.cipher.isAvailable()) {
      throw new ServiceFailure('unsupported', 'no OS-backed secret storage available')
    }
  }
}
