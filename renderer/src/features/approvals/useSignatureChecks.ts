/**
 * Checks the signatures of a view's actions on this device (model/verify.ts) with the keys the
 * directory publishes for each actor (`userDevices`), fetched once per actor per page.
 *
 * @example
 *   const checks = useSignatureChecks(view) // checks.value.get(actionId) → 'valid' | 'invalid' | …
 */
import { ref, shallowRef, watch } from 'vue'
import type { Ref } from 'vue'
import { SYSTEM_ACTOR_ID } from '../../../../shared/approvals'
import { userDevices } from '../../../../shared/http/routes/approvalSetup'
import type { ApprovalView } from '../../../../shared/http/routes/approvals'
import { call } from '../../api/call'
import type { SignatureCheck } from './model/timeline'
import { verifySignatures } from './model/verify'
import type { PublishedKey } from './model/verify'

/** @returns the checks by action id, updated as views arrive. */
export function useSignatureChecks(view: Ref<ApprovalView | null>) {
  const checks = shallowRef<ReadonlyMap<string, SignatureCheck>>(new Map())
  const keys = new Map<string, readonly PublishedKey[]>()
  const running = ref(false)
  let again = false

  async function keysOf(actors: readonly string[]): Promise<void> {
    await Promise.all(
      actors
        .filter((actor) => actor !== SYSTEM_ACTOR_ID && !keys.has(actor))
        .map(async (actor) => {
          try {
            keys.set(actor, (await call(userDevices, { params: { id: actor } })).devices)
          } catch {
            // Offline or refused: that actor's actions stay unchecked.
          }
        }),
    )
  }

  async function run(): Promise<void> {
    if (running.value) {
      again = true
      return
    }
    running.value = true
    try {
      do {
        again = false
        const current = view.value
        if (current === null) {
          break
        }
        await keysOf([...new Set(current.actions.map((action) => action.actorId))])
        checks.value = await verifySignatures(current.actions, keys, checks.value)
      } while (again)
    } finally {
      running.value = false
    }
  }

  watch(view, () => void run(), { immediate: true })
  return checks
}
