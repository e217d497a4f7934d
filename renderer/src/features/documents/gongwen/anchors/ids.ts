/** Ids for comment threads, replies and suggestions created on this device. */

/**
 * @returns a random 128-bit id in hex. Uses getRandomValues, which (unlike randomUUID) also exists
 * when the web client is served over plain http from a LAN address (not a secure context).
 */
export function newId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
