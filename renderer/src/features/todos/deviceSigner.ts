/**
 * This device's signing key for approval actions, the minimal way: the key pair lives behind the
 * DesktopBridge (the OS key store on the desktop, IndexedDB on the web; the page never holds the
 * private key on the desktop), and its public key is registered to the account once. The approval
 * page of issue 20 has the full device management; this is what the batch approval needs.
 * Merge note: when `useDeviceKey` of the approval page lands, use it here instead.
 *
 * @example
 *   const signer = await prepareDeviceSigner(userId)
 *   const signature = await signer.sign(actionSigningBytes(action))
 */
import type { DesktopBridge } from '../../../../shared/ipc/contract'
import { listDevices, registerDevice } from '../../../../shared/http/routes/approvalSetup'
import { call } from '../../api/call'
import { getBridge } from '../../bridge'

/** Why the device cannot sign. */
export class DeviceKeyError extends Error {
  constructor(
    /** `key_unavailable`: the platform has no key store; `revoked_device`: this key was revoked; `sign_failed`. */
    readonly code: 'key_unavailable' | 'revoked_device' | 'sign_failed',
  ) {
    super(code)
    this.name = 'DeviceKeyError'
  }
}

/** A registered device key that signs. */
export interface DeviceSigner {
  /** The relay's id of this device's key. */
  readonly deviceId: string
  /** @returns the SM2 signature (DER, hex) of the bytes. @throws DeviceKeyError */
  sign(bytes: Uint8Array): Promise<string>
}

async function publicKeyOf(bridge: DesktopBridge, account: string): Promise<string> {
  const existing = await bridge.deviceKey({ account })
  if (!existing.ok) {
    throw new DeviceKeyError('key_unavailable')
  }
  if (existing.value !== null) {
    return existing.value.publicKey
  }
  const created = await bridge.createDeviceKey({ account })
  if (!created.ok) {
    throw new DeviceKeyError('key_unavailable')
  }
  return created.value.publicKey
}

/**
 * Makes sure this device has a key for the account and the relay knows it.
 * @throws DeviceKeyError, ApiError
 */
export async function prepareDeviceSigner(
  account: string,
  bridge: DesktopBridge = getBridge(),
): Promise<DeviceSigner> {
  const publicKey = (await publicKeyOf(bridge, account)).toLowerCase()
  const { devices } = await call(listDevices)
  const known = devices.filter((device) => device.publicKey.toLowerCase() === publicKey)
  let deviceId = known.find((device) => device.revokedAt === null)?.id ?? null
  if (deviceId === null && known.length > 0) {
    // Revoked keys stay revoked: the user registers this device again on the approval page.
    throw new DeviceKeyError('revoked_device')
  }
  if (deviceId === null) {
    // The approval page's device dialog lets the user name a device; a batch registers it plainly.
    const label = navigator.userAgent.includes('Electron/') ? '齐鲁办公桌面端' : '浏览器'
    deviceId = (await call(registerDevice, { body: { publicKey, label } })).id
  }
  const id = deviceId
  return {
    deviceId: id,
    async sign(bytes) {
      const signed = await bridge.signWithDeviceKey({ account, data: bytes })
      if (!signed.ok) {
        throw new DeviceKeyError('sign_failed')
      }
      return signed.value.signature
    },
  }
}
