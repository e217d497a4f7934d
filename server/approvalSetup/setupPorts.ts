/** The ports of server/approvals/ports.ts over approval set-up's stores and services. */
import type { ApprovalSetup, DeviceRecord } from '../approvals/ports'
import type { Delegation } from '../../shared/approvals'
import type { ApprovalSetupStores } from '../storage/approvalSetup/stores'
import type { CatalogService } from './CatalogService'
import type { AgencyCodeService } from './AgencyCodeService'

/** @returns the ports the approvals service consumes. */
export function setupPorts(
  stores: ApprovalSetupStores,
  services: { readonly catalog: CatalogService; readonly agencyCodes: AgencyCodeService },
  now: () => number,
): ApprovalSetup {
  return {
    devices: {
      async device(id: string): Promise<DeviceRecord | null> {
        const row = await stores.devices.byId(id)
        return row === null
          ? null
          : {
              id: row.id,
              userId: row.user_id,
              label: row.label,
              publicKey: row.public_key,
              createdAt: row.created_at,
              revokedAt: row.revoked_at,
            }
      },
    },
    delegations: {
      // Those ended before now are left out too: an action is judged at its receipt time.
      async givenTo(deputyId: string): Promise<readonly Delegation[]> {
        return (await stores.delegations.inForceTo(deputyId, now())).map((row) => ({
          from: row.from_user_id,
          to: row.to_user_id,
          scope: row.scope === 'all' ? 'all' : 'signoff',
          until: new Date(row.valid_until).toISOString(),
          since: new Date(row.created_at).toISOString(),
        }))
      },
      async deputiesOf(leaderIds: readonly string[]): Promise<readonly string[]> {
        return stores.delegations.deputiesInForceOf(leaderIds, now())
      },
    },
    catalog: {
      flow: (id) => services.catalog.flow(id),
      form: (id) => services.catalog.form(id),
    },
    agencyCodes: {
      agencyCodeOf: (unitId) => services.agencyCodes.agencyCodeOf(unitId),
    },
  }
}
