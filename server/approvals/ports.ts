/**
 * What the approvals service (server/approvals) needs from approval set-up (server/approvalSetup):
 * device keys, delegations, flows and forms, and each unit's 机关代字. Set-up implements these over
 * its tables; the approvals service depends on these interfaces only, and its tests may give plain
 * implementations.
 *
 * @example
 *   const device = await setup.devices.device(body.deviceId)
 *   if (device === null || device.userId !== actor.id) throw new DomainError('unknown_device', …)
 */
import type { Delegation, FlowTemplate, FormDefinition } from '../../shared/approvals'

/** A registered device key. */
export interface DeviceRecord {
  readonly id: string
  readonly userId: string
  readonly label: string
  /** SM2, uncompressed hex (`04` + 128 hex digits). */
  readonly publicKey: string
  /** Epoch ms. */
  readonly createdAt: number
  /** Epoch ms of the revocation; null while in force. */
  readonly revokedAt: number | null
}

/** Device keys by id. */
export interface DeviceKeys {
  /** @returns the device, revoked or not, or null when no such device was ever registered. */
  device(id: string): Promise<DeviceRecord | null>
}

/** Delegations (代) in force. */
export interface DelegationLookup {
  /** @returns the delegations given to `deputyId` that are not revoked (the engine checks `until`). */
  givenTo(deputyId: string): Promise<readonly Delegation[]>
  /**
   * @returns the deputies of delegations in force given by any of `leaderIds` (their 待办 counts
   *   follow the leaders'); a set-up without it republishes no deputy's counts.
   */
  deputiesOf?(leaderIds: readonly string[]): Promise<readonly string[]>
}

/** Flows and forms, built in and defined by admins. */
export interface ApprovalCatalog {
  /** @returns the flow template, or null when there is none with this id. */
  flow(id: string): Promise<FlowTemplate | null>
  /** @returns the form definition, or null when there is none with this id. */
  form(id: string): Promise<FormDefinition | null>
}

/** Each unit's 机关代字 for the 发文字号 register. */
export interface AgencyCodes {
  /**
   * @returns the 机关代字 of the unit, or of its nearest ancestor that has one; null when none has
   * one (编号 then cannot assign a number and says so).
   */
  agencyCodeOf(unitId: string): Promise<string | null>
}

/** Everything approval set-up offers the approvals service. */
export interface ApprovalSetup {
  readonly devices: DeviceKeys
  readonly delegations: DelegationLookup
  readonly catalog: ApprovalCatalog
  readonly agencyCodes: AgencyCodes
}
