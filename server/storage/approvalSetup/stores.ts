/**
 * Approval set-up's stores on one connection or transaction; a unit of work binds them with
 * `uow.bind(approvalSetupStores)`.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import { AgencyCodeStore } from './AgencyCodeStore'
import { CatalogStore } from './CatalogStore'
import { DelegationStore } from './DelegationStore'
import { DeviceKeyStore } from './DeviceKeyStore'

/** The stores of approval set-up. */
export interface ApprovalSetupStores {
  readonly devices: DeviceKeyStore
  readonly delegations: DelegationStore
  readonly catalog: CatalogStore
  readonly agencyCodes: AgencyCodeStore
}

/** @returns the stores on `db` (the storage's connection, or a unit of work's transaction). */
export function approvalSetupStores(db: Kysely<Database>): ApprovalSetupStores {
  return {
    devices: new DeviceKeyStore(db),
    delegations: new DelegationStore(db),
    catalog: new CatalogStore(db),
    agencyCodes: new AgencyCodeStore(db),
  }
}
