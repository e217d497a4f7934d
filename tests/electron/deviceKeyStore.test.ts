import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeviceKeyStore } from '../../electron/main/services/DeviceKeyStore'
import type { SecretCipher } from '../../electron/main/services/CredentialStore'
import type { Logger } from '../../electron/main/logger'
import { sm2Verify } from '../../shared/crypto/sm2'

/** A reversible cipher with a per-instance key, standing in for the OS key store. */
class XorCipher implements SecretCipher {
  available = true
  constructor(private readonly key: number) {}
  isAvailable(): boolean {
    return this.available
  }
  encrypt(plain: string): Uint8Array {
    return new TextEncoder().encode(`ok:${plain}`).map((b) => b ^ this.key)
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

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'qilu-device-keys-'))
})

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

describe('device key store (desktop)', () => {
  it('makes one key per account, keeps it encrypted on disk, and signs what verifies with its public key', async () => {
    const store = new DeviceKeyStore(path.join(dir, 'keys'), new XorCipher(0x33), silent)
    expect(await store.load('alice')).toBeNull()
    const publicKey = await store.create('alice')
    expect(publicKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(await store.create('alice')).toBe(publicKey)
    expect(await store.create('bob')).not.toBe(publicKey)
    const data = new TextEncoder().encode('{"approvalId":"a1","type":"approve"}')
    const signature = await store.sign('alice', data)
    expect(sm2Verify(data, signature, publicKey)).toBe(true)
    const again = new DeviceKeyStore(path.join(dir, 'keys'), new XorCipher(0x33), silent)
    expect((await again.load('alice'))?.publicKey).toBe(publicKey)
    const raw = await fs.readFile(path.join(dir, 'keys', 'alice.sm2'))
    const privateKey = (await again.load('alice'))?.privateKey ?? 'missing'
    expect(raw.toString('latin1')).not.toContain(privateKey)
    if (process.platform !== 'win32') {
      expect((await fs.stat(path.join(dir, 'keys', 'alice.sm2'))).mode & 0o777).toBe(0o600)
    }
  })

  it('cannot read a key under another OS key, refuses to sign without a key, and forgets one', async () => {
    const folder = path.join(dir, 'keys')
    await new DeviceKeyStore(folder, new XorCipher(1), silent).create('alice')
    const stranger = new DeviceKeyStore(folder, new XorCipher(2), silent)
    expect(await stranger.load('alice')).toBeNull()
    await expect(stranger.sign('alice', new Uint8Array([1]))).rejects.toThrow(/no device key/)
    const owner = new DeviceKeyStore(folder, new XorCipher(1), silent)
    await owner.forget('alice')
    expect(await owner.load('alice')).toBeNull()
    const unavailable = new XorCipher(1)
    unavailable.available = false
    await expect(new DeviceKeyStore(folder, unavailable, silent).create('x')).rejects.toThrow(
      /secret storage/,
    )
  })
})
