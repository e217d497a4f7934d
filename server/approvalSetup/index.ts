/**
 * Approval set-up (issue 20): device keys, delegations (代), flows and forms, and each unit's
 * 机关代字. `createApprovalSetup` builds its services over the relay's storage and returns the
 * ports the approvals service consumes (server/approvals/ports.ts), with the services the HTTP
 * routes call.
 *
 * @example
 *   const approvalSetup = createApprovalSetup({ storage, db: opened.db, audit, keysChanged })
 *   const device = await approvalSetup.devices.device(deviceId) // an ApprovalSetup port
 *   await approvalSetup.services.devices.register(actor, body) // a route's command
 */
import type { Kysely } from 'kysely'
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { Database } from '../storage/schema'
import type { ApprovalSetup } from '../approvals/ports'
import { approvalSetupStores } from '../storage/approvalSetup/stores'
import { AgencyCodeService } from './AgencyCodeService'
import { CatalogService } from './CatalogService'
import { DelegationService } from './DelegationService'
import type { DelegationsChanged } from './DelegationService'
import { DeviceService } from './DeviceService'
import type { KeysChanged } from './DeviceService'
import { setupPorts } from './setupPorts'

/** The services of approval set-up (what its routes call). */
export interface ApprovalSetupServices {
  readonly devices: DeviceService
  readonly delegations: DelegationService
  readonly catalog: CatalogService
  readonly agencyCodes: AgencyCodeService
}

/** Approval set-up: the ports of server/approvals/ports.ts, and its services. */
export interface ApprovalSetupModule extends ApprovalSetup {
  readonly services: ApprovalSetupServices
}

/** What approval set-up is built on. */
export interface ApprovalSetupDependencies {
  readonly storage: Storage
  /** The storage's database (reads outside units of work). */
  readonly db: Kysely<Database>
  readonly audit: AuditService
  /** Told after an account's device keys changed (the directory re-publishes them). */
  readonly keysChanged?: KeysChanged
  /** Told after a delegation was made or revoked (the deputy's 待办 counts follow). */
  readonly delegationsChanged?: DelegationsChanged
  readonly now?: () => number
}

/** @returns approval set-up over the relay's storage. */
export function createApprovalSetup(deps: ApprovalSetupDependencies): ApprovalSetupModule {
  const stores = approvalSetupStores(deps.db)
  const now = deps.now ?? Date.now
  const services: ApprovalSetupServices = {
    devices: new DeviceService(
      deps.storage,
      stores,
      deps.audit,
      deps.keysChanged ?? (async () => {}),
      now,
    ),
    delegations: new DelegationService(
      deps.storage,
      stores,
      deps.audit,
      now,
      deps.delegationsChanged ?? (async () => {}),
    ),
    catalog: new CatalogService(deps.storage, stores, deps.audit, now),
    agencyCodes: new AgencyCodeService(deps.storage, stores, deps.audit, now),
  }
  return { ...setupPorts(stores, services, now), services }
}

export { approvalSetupStores } from '../storage/approvalSetup/stores'
