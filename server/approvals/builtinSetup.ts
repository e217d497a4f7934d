/**
 * The approval set-up the relay starts with until server/approvalSetup (devices, delegations,
 * admin-defined flows and forms, 机关代字) is wired in: the built-in flows and forms, and no
 * devices, delegations or 机关代字 — so every signed action is refused as `unknown_device` and
 * 编号 waits, rather than anything being accepted unchecked.
 */
import { BUILTIN_FLOWS, BUILTIN_FORMS } from '../../shared/approvals'
import type { ApprovalCatalog, ApprovalSetup } from './ports'

/** The built-in catalog. */
export const builtinCatalog: ApprovalCatalog = {
  flow: async (id) => (Object.hasOwn(BUILTIN_FLOWS, id) ? (BUILTIN_FLOWS[id] ?? null) : null),
  form: async (id) => (Object.hasOwn(BUILTIN_FORMS, id) ? (BUILTIN_FORMS[id] ?? null) : null),
}

/** @returns the set-up with built-ins only. */
export function builtinSetup(): ApprovalSetup {
  return {
    devices: { device: async () => null },
    delegations: { givenTo: async () => [] },
    catalog: builtinCatalog,
    agencyCodes: { agencyCodeOf: async () => null },
  }
}
