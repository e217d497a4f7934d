/**
 * Device keys (DESIGN §7 Device keys): each device of an account registers its SM2 public key; the
 * account's keys are published (`GET /users/<id>/devices`, and the directory rooms), and a revoked
 * key keeps its revocation time so actions received afterwards are refused.
 */
import type { AuditService } from '../audit/AuditService'
import type { Storage } from '../storage/Storage'
import type { Work } from '../storage/UnitOfWork'
import type { RequestActor } from '../services/actor'
import type { DeviceView } from '../../shared/http/routes/approvalSetup'
import { isSm2PublicKey } from '../../shared/crypto/sm2'
import { DomainError, badRequest, conflict, notFound } from '../domain/errors'
import { newId } from '../auth/secrets'
import type { ApprovalSetupStores } from '../storage/approvalSetup/stores'
import { approvalSetupStores } from '../storage/approvalSetup/stores'
import type { DeviceKeyRow } from '../storage/approvalSetup/DeviceKeyStore'
import { auditRefusals } from './refusals'

/** Bounds of one account's device keys. */
export const DEVICE_LIMITS = {
  /** Keys in force at once (a person's computers, phones and browsers). */
  active: 20,
  /** Keys ever registered, revoked ones included (each stays listed for verification). */
  total: 200,
} as const

/** Told when an account's published keys change (the directory rooms re-project it). */
export type KeysChanged = (userId: string) => Promise<void>

/** @returns the API view of a device row. */
export function toDeviceView(row: DeviceKeyRow): DeviceView {
  return {
    id: row.id,
    label: row.label,
    publicKey: row.public_key,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  }
}

/** Registers, lists and revokes device keys. */
export class DeviceService {
  constructor(
    private readonly storage: Storage,
    private readonly stores: ApprovalSetupStores,
    private readonly audit: AuditService,
    private readonly keysChanged: KeysChanged,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Registers a device key of the signed-in account.
   * @throws DomainError 400 not a point of the curve; 409 key taken or too many keys (audited)
   */
  async register(
    actor: RequestActor,
    input: { readonly publicKey: string; readonly label: string },
  ): Promise<{ id: string }> {
    const publicKey = input.publicKey.toLowerCase()
    const id = newId()
    const where = { actor, action: 'device.register', target: id }
    await auditRefusals(this.audit, where, async () => {
      if (!isSm2PublicKey(publicKey)) {
        throw badRequest('公钥无效：不是 SM2 曲线上的点 (the public key is not a point on SM2)')
      }
      await this.inserting(publicKey, async (uow) => {
        const stores = uow.bind(approvalSetupStores)
        await stores.devices.lockAccount(actor.userId)
        const counts = await stores.devices.counts(actor.userId)
        if (counts.active >= DEVICE_LIMITS.active) {
          throw conflict(
            `有效设备密钥已达 ${DEVICE_LIMITS.active} 个，请先吊销不用的设备 (too many device keys)`,
          )
        }
        if (counts.total >= DEVICE_LIMITS.total) {
          throw conflict(`设备密钥登记次数已达上限 ${DEVICE_LIMITS.total} (device key limit)`)
        }
        if ((await stores.devices.byPublicKey(publicKey)) !== null) {
          throw conflict('该公钥已登记，不能重复使用 (this public key is already registered)')
        }
        await stores.devices.insert({
          id,
          user_id: actor.userId,
          label: input.label,
          public_key: publicKey,
          created_at: this.now(),
          revoked_at: null,
        })
        uow.audit({
          ...actor.event,
          action: 'device.register',
          target: id,
          detail: { label: input.label, publicKey },
        })
      })
    })
    await this.keysChanged(actor.userId)
    return { id }
  }

  /**
   * Runs the registration's unit of work; when two accounts register one key at the same moment,
   * the unique index refuses the second insert, answered as the 409 the check would have given.
   */
  private async inserting(publicKey: string, work: Work<void>): Promise<void> {
    try {
      await this.storage.unitOfWork(work)
    } catch (error) {
      if (
        !(error instanceof DomainError) &&
        (await this.stores.devices.byPublicKey(publicKey)) !== null
      ) {
        throw conflict('该公钥已登记，不能重复使用 (this public key is already registered)')
      }
      throw error
    }
  }

  /** @returns the active public keys of these accounts, by account id (the directory's entries). */
  activeKeysOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.stores.devices.activeKeysOf(userIds)
  }

  /** @returns the signed-in account's device keys, revoked ones included. */
  async mine(actor: RequestActor): Promise<DeviceView[]> {
    return (await this.stores.devices.ofUser(actor.userId, DEVICE_LIMITS.total)).map(toDeviceView)
  }

  /**
   * @returns an account's published device keys (revoked ones with their time).
   * @throws DomainError 404 when there is no such account
   */
  async published(userId: string): Promise<DeviceView[]> {
    if ((await this.storage.users.byId(userId)) === null) {
      throw notFound('用户')
    }
    return (await this.stores.devices.ofUser(userId, DEVICE_LIMITS.total)).map(toDeviceView)
  }

  /**
   * Revokes one of the signed-in account's keys (revoking a revoked key changes nothing).
   * @throws DomainError 404 when the device is not the caller's (audited)
   */
  async revoke(actor: RequestActor, id: string): Promise<void> {
    const revoked = await auditRefusals(
      this.audit,
      { actor, action: 'device.revoke', target: id },
      async () => {
        const device = await this.stores.devices.byId(id)
        // Someone else's device answers as no device at all: ids are not an oracle.
        if (device === null || device.user_id !== actor.userId) {
          throw notFound('设备')
        }
        return this.storage.unitOfWork(async (uow) => {
          const at = this.now()
          const changed = await uow.bind(approvalSetupStores).devices.revoke(id, at)
          if (changed) {
            uow.audit({
              ...actor.event,
              action: 'device.revoke',
              target: id,
              detail: { publicKey: device.public_key, revokedAt: new Date(at).toISOString() },
            })
          }
          return changed
        })
      },
    )
    if (revoked) {
      await this.keysChanged(actor.userId)
    }
  }
}
