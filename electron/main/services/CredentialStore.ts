/**
 * The remembered session token, encrypted by the operating system's key store (through a
 * `SecretCipher`) and kept in one file under the user data folder.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger'
import { describeError } from '../logger'
import { ServiceFailure } from './desktopServices'

/** Encrypts secrets with a key the OS keeps for this user (DPAPI, Keychain, libsecret...). */
export interface SecretCipher {
  /** @returns whether encryption with an OS-held key is available right now. */
  isAvailable(): boolean
  /** @returns `plain` encrypted. */
  encrypt(plain: string): Uint8Array
  /**
   * @returns the secret `encrypted` holds.
   * @throws Error when it was not encrypted by this user's key.
   */
  decrypt(encrypted: Uint8Array): string
}

const FORMAT_VERSION = 1

interface StoredCredential {
  readonly v: typeof FORMAT_VERSION
  readonly token: string
}

function isStoredCredential(value: unknown): value is StoredCredential {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const record: Partial<Record<string, unknown>> = { ...value }
  return record.v === FORMAT_VERSION && typeof record.token === 'string'
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT'
}

/** The session token on disk, readable only through the cipher. */
export class CredentialStore {
  /**
   * @param filePath the file holding the encrypted token
   * @param cipher the OS-backed cipher
   * @param logger where unreadable files are reported
   */
  constructor(
    private readonly filePath: string,
    private readonly cipher: SecretCipher,
    private readonly logger: Logger,
  ) {}

  /**
   * @returns the remembered token, or null when there is none or it cannot be read any more (a
   *   different OS user or a reset key store): the user then signs in again.
   * @throws ServiceFailure `unsupported` when the OS offers no secure storage.
   */
  async load(): Promise<string | null> {
    this.requireCipher()
    let encrypted: Uint8Array
    try {
      encrypted = await fs.readFile(this.filePath)
    } catch (error) {
      if (isMissingFile(error)) {
        return null
      }
      throw error
    }
    try {
      const stored: unknown = JSON.parse(this.cipher.decrypt(encrypted))
      if (isStoredCredential(stored)) {
        return stored.token
      }
      this.logger.warn('credential file has an unknown format; discarding it')
    } catch (error) {
      this.logger.warn('credential file cannot be decrypted; discarding it', {
        error: describeError(error),
      })
    }
    await this.clear()
    return null
  }

  /**
   * Remembers `token`, replacing any earlier one. The file is written aside and renamed into place,
   * so a crash leaves either the old or the new token, never half of one.
   * @throws ServiceFailure `unsupported` when the OS offers no secure storage.
   */
  async store(token: string): Promise<void> {
    this.requireCipher()
    const stored: StoredCredential = { v: FORMAT_VERSION, token }
    const encrypted = this.cipher.encrypt(JSON.stringify(stored))
    await fs.mkdir(path.dirname(this.filePath), { recursive: true })
    const temporary = `${this.filePath}.${randomUUID()}.tmp`
    try {
      await fs.writeFile(temporary, encrypted, { mode: 0o600 })
      await fs.rename(temporary, this.filePath)
    } catch (error) {
      await fs.rm(temporary, { force: true })
      throw error
    }
  }

  /** Forgets the token; forgetting nothing is fine. */
  async clear(): Promise<void> {
    await fs.rm(this.filePath, { force: true })
  }

  private requireCipher(): void {
    if (!this.cipher.isAvailable()) {
      throw new ServiceFailure('unsupported', 'no OS-backed secret storage available')
    }
  }
}
