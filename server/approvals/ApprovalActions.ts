/**
 * `POST /api/v1/approvals/<id>/actions` and the batch: the contract's order (DESIGN §7). The device
 * and its revocation, then the SM2 signature (on worker threads), then, in one transaction under
 * the approval's row lock, the engine's verdict with the digest check in its place
 * (recordAction.ts). Every refusal is audited; effects follow the commit.
 */
import { DOC_TYPE_IDS } from '../../shared/gongwen/docTypes'
import type { DocTypeId } from '../../shared/gongwen/docTypes'
import { DIGEST_TYPES, actionSigningBytes } from '../../shared/approvals'
import type { ApprovalAction, ApprovalErrorCode, ApprovalInstance } from '../../shared/approvals'
import type { ActResponse } from '../../shared/http/routes/approvals'
import type { AuditService } from '../audit/AuditService'
import { DomainError, notFound } from '../domain/errors'
import type { Logger } from '../logger'
import type { RoomPort } from '../relay/ports'
import { viewOf } from './views'
import type { Storage } from '../storage/Storage'
import type { ApprovalEffects } from './ApprovalEffects'
import type { Caller } from './ApprovalService'
import { auditOf } from './ApprovalService'
import { readContent } from './content'
import type { ApprovalSetup } from './ports'
import { recordAction } from './recordAction'
import type { ContentNow, RegisterInfo } from './recordAction'
import type { Sm2VerifyPool } from './Sm2VerifyPool'
import { VerifyQueueFull } from './Sm2VerifyPool'

/** Stage kinds whose approvals may be batched (never 签发). */
export const BATCHABLE_KINDS: ReadonlySet<string> = new Set(['review', 'countersign'])

/** A signed action as posted. */
export interface SignedAction {
  readonly action: ApprovalAction
  readonly deviceId: string
  readonly signature: string
}

const DEVICE_MESSAGES = {
  unknown_device: '设备未登记，请先登记本设备的签名密钥 (unknown device)',
  revoked_device: '该设备的签名密钥已吊销 (the device was revoked)',
  bad_signature: '签名验证失败 (the signature does not verify)',
} as const

/** Acting on approvals. */
export class ApprovalActions {
  constructor(
    private readonly storage: Storage,
    private readonly setup: ApprovalSetup,
    private readonly rooms: RoomPort,
    private readonly verifier: Sm2VerifyPool,
    private readonly effects: ApprovalEffects,
    private readonly audit: AuditService,
    private readonly logger: Logger,
  ) {}

  /**
   * Judges and records one signed action.
   * @throws DomainError with the contract's code (unknown_device … too_late), not_found
   */
  async act(
    caller: Caller,
    approvalId: string,
    signed: SignedAction,
    options: { readonly batch?: boolean } = {},
  ): Promise<ActResponse> {
    const now = Date.now()
    const { action } = signed
    const device = await this.setup.devices.device(signed.deviceId)
    if (device === null || device.userId !== caller.user.id) {
      await this.refuse(caller, approvalId, action, 'unknown_device')
    } else if (device.revokedAt !== null && device.revokedAt <= now) {
      await this.refuse(caller, approvalId, action, 'revoked_device')
    }
    let verified: boolean
    try {
      verified = await this.verifier.verify(
        actionSigningBytes(action),
        signed.signature,
        device?.publicKey ?? '',
      )
    } catch (error) {
      if (error instanceof VerifyQueueFull) {
        throw new DomainError('unavailable', '服务繁忙，请稍后重试 (busy, retry later)')
      }
      // Canonical JSON refuses the action (a lone surrogate): it cannot have been signed.
      verified = false
    }
    if (!verified) {
      await this.refuse(caller, approvalId, action, 'bad_signature')
    }
    const row = await this.storage.approvals.byId(approvalId)
    if (row === null) {
      throw notFound('审批')
    }
    const instance = JSON.parse(row.instance) as ApprovalInstance
    if (options.batch === true) {
      const stage = instance.stages.find((item) => item.id === action.stageId)
      if (stage === undefined || !BATCHABLE_KINDS.has(stage.kind) || action.type !== 'approve') {
        throw new DomainError(
          'invalid_action',
          '批量审批仅限审核、会签环节的同意 (batch: approve at review or countersign only)',
        )
      }
    }
    const content = await this.contentFor(instance, action)
    const register = await this.registerFor(instance, row.register_unit_id, content)
    const delegations =
      action.onBehalfOf === undefined ? [] : await this.setup.delegations.givenTo(caller.user.id)
    const targets =
      action.type === 'transfer'
        ? [action.target.userId]
        : action.type === 'addSigner'
          ? action.target.userIds
          : []
    const activeTargets = new Set(
      (await this.storage.org.usersByIds(targets))
        .filter((user) => user.active === 1)
        .map((user) => user.id),
    )
    const result = await this.storage.unitOfWork((uow) =>
      recordAction(
        uow,
        {
          approvalId,
          now,
          content,
          register,
          isActive: (userId) => activeTargets.has(userId),
        },
        {
          action,
          actorId: caller.user.id,
          deviceId: signed.deviceId,
          signature: signed.signature,
          delegations,
          audit: auditOf(caller),
        },
      ),
    )
    if (result.kind === 'refused') {
      throw new DomainError(result.code, result.message, { details: { reason: result.reason } })
    }
    // The answer is the committed state; the body rule follows at once, the rooms' projections
    // right after (in commit order, re-read from the database).
    const view = await viewOf(this.storage, result)
    await this.effects.refreshLocks(result.instance)
    if (result.archived !== null) {
      this.effects.documentArchived(result.archived)
    }
    this.effects
      .committed(approvalId, result.affected, result.actions.slice(-1 - result.system.length))
      .catch((error: unknown) =>
        this.logger.error('approval effects failed', { approvalId, error: String(error) }),
      )
    return { outcome: result.outcome, approval: view }
  }

  /** Audits a device or signature refusal (no transaction to join) and throws it. */
  private async refuse(
    caller: Caller,
    approvalId: string,
    action: ApprovalAction,
    code: keyof typeof DEVICE_MESSAGES & ApprovalErrorCode,
  ): Promise<never> {
    await this.audit.record({
      ...auditOf(caller),
      action: 'approval.action_refused',
      target: approvalId,
      detail: { code, reason: code, type: action.type, stageId: action.stageId },
    })
    throw new DomainError(code, DEVICE_MESSAGES[code])
  }

  /** The live document's content, when the action binds to it. */
  private async contentFor(
    instance: ApprovalInstance,
    action: ApprovalAction,
  ): Promise<ContentNow | null> {
    if (instance.subject.type !== 'document' || !DIGEST_TYPES.has(action.type)) {
      return null
    }
    return readContent(this.rooms, instance.subject.documentId)
  }

  /** The register of a document flow with a number stage. */
  private async registerFor(
    instance: ApprovalInstance,
    unitId: string,
    content: ContentNow | null,
  ): Promise<RegisterInfo | null> {
    if (
      instance.subject.type !== 'document' ||
      !instance.stages.some((stage) => stage.kind === 'number')
    ) {
      return null
    }
    const live =
      content !== null && 'docType' in content
        ? (content as { docType: string | null }).docType
        : (await readContent(this.rooms, instance.subject.documentId)).docType
    const docType: DocTypeId = DOC_TYPE_IDS.find((id) => id === live) ?? 'notice'
    return { unitId, agencyCode: await this.setup.agencyCodes.agencyCodeOf(unitId), docType }
  }
}
