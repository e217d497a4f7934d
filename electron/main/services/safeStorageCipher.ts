/** The `SecretCipher` over Electron's `safeStorage` (DPAPI, Keychain, libsecret/KWallet). */
import { safeStorage } from 'electron'
import type { SecretCipher } from './CredentialStore'

/** @returns a cipher backed by the OS key store of the signed-in user. */
export function createSafeStorageCipher(): SecretCipher {
  return {
    isAvailable() {
      if (!safeStorage.isEncryptionAvailable()) {
        return false
      }
      // On Linux without a keyring Chromium falls back to a hard-coded key ("basic_text"); a token
      // "encrypted" with it is readable by anyone who copies the file, so treat it as unavailable.
      return (
        process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
      )
    },
    encrypt(plain) {
      return safeStorage.encryptString(plain)
    },
    decrypt(encrypted) {
      return safeStorage.decryptString(Buffer.from(encrypted))
    },
  }
}
