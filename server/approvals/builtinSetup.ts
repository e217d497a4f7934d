/**
 * The built-in catalog, and a set-up of built-ins only: no devices, delegations or 机关代字 (every
 * signed action is refused as `unknown_device`, 编号 waits). The relay uses server/approvalSetup;
 * tests and benchmarks build their own set-ups on `builtinCatalog`.
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
