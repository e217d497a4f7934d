import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CredentialStore } from '../../electron/main/services/CredentialStore'
import type { SecretCipher } from '../../electron/main/services/CredentialStore'
import type { Logger } from '../../electron/main/logger'

/** A reversible cipher with a per-instance key, standing in for the OS key store. */
class XorCipher implements SecretCipher {
  available = true
  constructor(private readonly key: number) {}
  isAvailable(): boolean {
    return this.available
  }
  encrypt(plain: string): Uint8Array {
    const bytes = new TextEncoder().encode(`ok:${plain}`)
    return bytes.map((b) => b ^ this.key)
  }
  decrypt(encrypted: Uint8Array): string {
    const text = new TextDecoder().decode(encrypted.map((b) => b ^ this.key))
    if (!text.startsWith('ok:')) {
      throw new Error('wrong key')
    }
    return text.slice(3)
  }
}

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} }

let dir: string
let file: string

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'qilu-credentials-'))
  file = path.join(dir, 'nested', 'credentials.bin')
})

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

describe('credential store', () => {
  it('remembers a token across instances and keeps it encrypted on disk', async () => {
    const token = 'qilu_session.AbC-123_xyz'
    await new CredentialStore(file, new XorCipher(0x5a), silent).store(token)
    expect(await new CredentialStore(file, new XorCipher(0x5a), silent).load()).toBe(token)
    const raw = await fs.readFile(file)
    expect(raw.toString('latin1')).not.toContain(token)
    if (process.platform !== 'win32') {
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600)
    }
  })

  it('has nothing to load before the first sign-in', async () => {
    expect(await new CredentialStore(file, new XorCipher(1), silent).load()).toBeNull()
  })

  it('replaces the token and leaves no temporary files behind', async () => {
    const store = new CredentialStore(file, new XorCipher(7), silent)
    await store.store('first')
    await store.store('second')
    expect(await store.load()).toBe('second')
    expect(await fs.readdir(path.dirname(file))).toEqual(['credentials.bin'])
  })

  it('forgets the token on clear, and clearing twice is fine', async () => {
    const store = new CredentialStore(file, new XorCipher(7), silent)
    await store.store('token')
    await store.clear()
    await store.clear()
    expect(await store.load()).toBeNull()
  })

  it('discards a file another user key cannot decrypt, so the user signs in again', async () => {
    await new CredentialStore(file, new XorCipher(0x11), silent).store('token')
    expect(await new CredentialStore(file, new XorCipher(0x22), silent).load()).toBeNull()
    await expect(fs.access(file)).rejects.toThrow()
  })

  it('reports unsupported, and writes nothing, when the OS offers no secure storage', async () => {
    const cipher = new XorCipher(3)
    cipher.available = false
    const store = new CredentialStore(file, cipher, silent)
    await expect(store.store('token')).rejects.toMatchObject({ code: 'unsupported' })
    await expect(store.load()).rejects.toMatchObject({ code: 'unsupported' })
    await expect(fs.access(file)).rejects.toThrow()
  })
})
