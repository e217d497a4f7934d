/**
 * This device's signing key for approvals: the SM2 key pair the DesktopBridge keeps (the private
 * key never reaches the page on the desktop), and the device id the relay gave its public key
 * (`registerDevice`), remembered per account in localStorage. The first action that needs a
 * signature asks the user to register the device (DeviceKeyDialog) and waits for the answer.
 *
 * @example
 *   const device = await useSigningDeviceStore().ensure(me.id) // null: the user declined
 *   const signature = await signBytes(me.id, actionSigningBytes(action))
 */
import { ref } from 'vue'
import { defineStore } from 'pinia'
import { registerDevice } from '../../../../../shared/http/routes/approvalSetup'
import { call } from '../../../api/call'
import { getBridge } from '../../../bridge'
import { isRecord, readCache, writeCache, dropCache } from '../../../stores/localCache'

/** A registered device key of this device. */
export interface DeviceRecord {
  readonly id: string
  readonly publicKey: string
}

function deviceKey(userId: string): string {
  return `qilu:${userId}:signing-device`
}

function isDeviceRecord(value: unknown): value is DeviceRecord {
  return isRecord(value) && typeof value.id === 'string' && typeof value.publicKey === 'string'
}

/** @returns the device record remembered for the account, or null. */
export function rememberedDevice(userId: string): DeviceRecord | null {
  return readCache(deviceKey(userId), isDeviceRecord)
}

/** @returns the public key of this device's key for the account, or null when there is none. */
export async function localPublicKey(userId: string): Promise<string | null> {
  const result = await getBridge().deviceKey({ account: userId })
  return result.ok && result.value !== null ? result.value.publicKey : null
}

/**
 * @returns the SM2 signature (DER, hex) of `data` with this device's key for the account
 * @throws Error `noKey` or `signFailed` (message keys of approval.error)
 */
export async function signBytes(userId: string, data: Uint8Array): Promise<string> {
  const result = await getBridge().signWithDeviceKey({ account: userId, data })
  if (!result.ok) {
    throw new Error(result.code === 'failed' ? 'approval.error.noKey' : 'approval.error.signFailed')
  }
  return result.value.signature
}

/** @returns the registered device whose key this device holds, or null when it must register. */
export async function currentDevice(userId: string): Promise<DeviceRecord | null> {
  const remembered = rememberedDevice(userId)
  if (remembered === null) {
    return null
  }
  const key = await localPublicKey(userId)
  return key !== null && key.toLowerCase() === remembered.publicKey.toLowerCase()
    ? remembered
    : null
}

/** The registration prompt and the device it leads to. */
export const useSigningDeviceStore = defineStore('approvalSigningDevice', () => {
  /** True while the registration dialog asks the user. */
  const asking = ref(false)
  let answer: ((device: DeviceRecord | null) => void) | null = null

  /**
   * @returns this device's registered key, asking the user to register it first when needed;
   *   null when they declined
   */
  async function ensure(userId: string): Promise<DeviceRecord | null> {
    const known = await currentDevice(userId)
    if (known !== null) {
      return known
    }
    answer?.(null)
    asking.value = true
    return new Promise((resolve) => {
      answer = resolve
    })
  }

  /** Makes the key (if this device has none) and registers its public key. @throws ApiError */
  async function register(userId: string, label: string): Promise<DeviceRecord> {
    const made = await getBridge().createDeviceKey({ account: userId })
    if (!made.ok) {
      throw new Error('approval.error.noKey')
    }
    const { id } = await call(registerDevice, {
      body: { publicKey: made.value.publicKey, label },
    })
    const record = { id, publicKey: made.value.publicKey }
    writeCache(deviceKey(userId), record)
    asking.value = false
    answer?.(record)
    answer = null
    return record
  }

  /** The user closed the dialog without registering. */
  function decline(): void {
    asking.value = false
    answer?.(null)
    answer = null
  }

  /** Forgets this device's registration (after the relay said it was revoked or unknown). */
  async function forget(userId: string): Promise<void> {
    dropCache(deviceKey(userId))
    await getBridge().forgetDeviceKey({ account: userId })
  }

  return { asking, ensure, register, decline, forget }
})
