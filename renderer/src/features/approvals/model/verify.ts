/**
 * Checks the SM2 signatures of an approval's actions on this device: each action's canonical bytes
 * (DESIGN §7) against the public key of the device that signed it, as the directory publishes it
 * (`userDevices` of the actor). Verifying costs tens of ms in JavaScript, so the checks yield to
 * the page between actions.
 *
 * @example
 *   const checks = await verifySignatures(view.actions, devicesByUser)
 *   checks.get(actionId) // 'valid' | 'invalid' | 'unchecked'
 */
import { SYSTEM_ACTOR_ID, actionSigningBytes, wireAction } from '../../../../../shared/approvals'
import type { RecordedAction } from '../../../../../shared/approvals'
import { sm2Verify } from '../../../../../shared/crypto/sm2'
import type { SignatureCheck } from './timeline'

/** A device key as the directory publishes it. */
export interface PublishedKey {
  readonly id: string
  readonly publicKey: string
}

/** A recorded action with its device and signature, as the API shows it. */
export type SignedRecord = RecordedAction & {
  readonly deviceId?: string
  readonly signature?: string
}

/** Verifies one signature (sm2Verify by default; tests may pass another). */
export type Verifier = (data: Uint8Array, signature: string, publicKey: string) => boolean

/**
 * @returns the check of one action: `unchecked` when the actor's keys are not known here,
 *   `invalid` when the device is not the actor's or the signature does not verify
 */
export function checkSignature(
  action: SignedRecord,
  keys: readonly PublishedKey[] | undefined,
  verify: Verifier = sm2Verify,
): SignatureCheck {
  if (action.actorId === SYSTEM_ACTOR_ID) {
    return 'system'
  }
  if (keys === undefined) {
    return 'unchecked'
  }
  const key = keys.find((candidate) => candidate.id === action.deviceId)
  if (key === undefined || action.signature === undefined) {
    return 'invalid'
  }
  try {
    return verify(actionSigningBytes(wireAction(action)), action.signature, key.publicKey)
      ? 'valid'
      : 'invalid'
  } catch {
    return 'invalid'
  }
}

/**
 * @param keysByUser the published keys of each actor (absent: not fetched, the action stays unchecked)
 * @param known checks already made (by action id), not repeated
 * @returns the check of every action, yielding to the page between verifications
 */
export async function verifySignatures(
  actions: readonly SignedRecord[],
  keysByUser: ReadonlyMap<string, readonly PublishedKey[]>,
  known: ReadonlyMap<string, SignatureCheck> = new Map(),
  verify: Verifier = sm2Verify,
): Promise<Map<string, SignatureCheck>> {
  const checks = new Map<string, SignatureCheck>()
  for (const action of actions) {
    const earlier = known.get(action.id)
    if (earlier === 'valid' || earlier === 'invalid') {
      checks.set(action.id, earlier)
      continue
    }
    checks.set(action.id, checkSignature(action, keysByUser.get(action.actorId), verify))
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return checks
}
