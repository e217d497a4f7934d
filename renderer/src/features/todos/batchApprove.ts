/**
 * 批量审批: one opinion, one `approve` action per selected approval, each signed on its own with
 * this device's key (DESIGN §7 Act) and sent together with `batchAct`; the answer is one result
 * per row. The work is written over small ports (sign, digest, send) so the rules are tested
 * without a relay or a key store.
 *
 * @example
 *   const results = await runBatchApprove(targets, '同意', { signer, digestOf, send })
 */
import type { z } from 'zod'
import type { ApprovalActionSchema } from '../../../../shared/approvals'
import { actionSigningBytes, toIsoUtcMillis } from '../../../../shared/approvals'
import type { TodoItem } from '../../../../shared/http/routes/approvals'

/** An action as it travels (`ActRequestSchema`'s `action`). */
export type WireAction = z.infer<typeof ApprovalActionSchema>

/** One approval of a batch. */
export interface BatchTarget {
  readonly approvalId: string
  readonly title: string
  /** Who started it, so rows of the same form tell apart. */
  readonly initiatorName: string
  /** When it was started, ISO UTC. */
  readonly createdAt: string
  /** The stage the approver consents at (the row's current stage). */
  readonly stageId: string
  /** A document's approve carries its current digest; null for a form. */
  readonly documentId: string | null
}

/** What a batch row ended as. */
export type BatchRowState =
  /** 已同意: the action was applied. */
  | 'applied'
  /** 已被处理: the stage had moved on; recorded, not applied. */
  | 'superseded'
  /** 失败: refused by the relay, or not signed/sent at all. */
  | 'failed'

/** The result of one row, shown to the user. */
export interface BatchRowResult {
  readonly approvalId: string
  readonly title: string
  readonly state: BatchRowState
  /** The error code when failed (`not_assignee`, `digest_mismatch`, `sign_failed`, …). */
  readonly code?: string
  readonly message?: string
}

/** A signed action ready for `batchAct`. */
export interface SignedAction {
  readonly action: WireAction
  readonly deviceId: string
  readonly signature: string
}

/** What the batch needs from the platform and the relay. */
export interface BatchPorts {
  /** Signs canonical action bytes with this device's key. @throws when it cannot */
  readonly signer: { readonly deviceId: string; sign(bytes: Uint8Array): Promise<string> }
  /** The current content digest of a document. @throws ApiError */
  digestOf(documentId: string): Promise<string>
  /** Sends the signed actions. @throws ApiError when the whole request fails */
  send(items: readonly SignedAction[]): Promise<
    readonly {
      readonly approvalId: string
      readonly outcome?: 'applied' | 'superseded'
      readonly error?: { readonly code: string; readonly message: string }
    }[]
  >
  /** The clock (ms), for `createdAt`. */
  now(): number
  /** A fresh nonce. */
  nonce(): string
}

/** @returns the batch targets of the selected rows that have a current stage. */
export function batchTargets(
  items: readonly TodoItem[],
  selected: ReadonlySet<string>,
): BatchTarget[] {
  return items
    .filter((item) => selected.has(item.approvalId) && item.currentStageId !== null)
    .map((item) => ({
      approvalId: item.approvalId,
      title: item.title,
      initiatorName: item.initiatorName,
      createdAt: item.createdAt,
      stageId: item.currentStageId ?? '',
      documentId: item.subjectType === 'document' ? item.documentId : null,
    }))
}

/** @returns an `approve` action of a target (absent optional fields are left out, never null). */
export function approveAction(
  target: BatchTarget,
  opinion: string,
  createdAt: string,
  nonce: string,
  contentDigest: string | null,
): WireAction {
  const trimmed = opinion.trim()
  return {
    approvalId: target.approvalId,
    type: 'approve',
    stageId: target.stageId,
    nonce,
    createdAt,
    ...(trimmed === '' ? {} : { opinion: trimmed }),
    ...(contentDigest === null ? {} : { contentDigest }),
  }
}

/** @returns a random nonce of 22 base64url characters (128 bits). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let text = ''
  for (const byte of bytes) {
    text += String.fromCharCode(byte)
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function codeOf(error: unknown, fallback: string): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return typeof error.code === 'string' ? error.code : fallback
  }
  return fallback
}

/**
 * Signs and sends one approve per target. Rows that cannot be prepared (digest or signature
 * failed) are reported as failed and left out of the request; the others get the relay's verdict.
 * @throws ApiError when the batch request itself fails (nothing was applied then)
 */
export async function runBatchApprove(
  targets: readonly BatchTarget[],
  opinion: string,
  ports: BatchPorts,
): Promise<BatchRowResult[]> {
  const prepared: SignedAction[] = []
  const failures = new Map<string, BatchRowResult>()
  for (const target of targets) {
    try {
      const digest = target.documentId === null ? null : await ports.digestOf(target.documentId)
      const action = approveAction(
        target,
        opinion,
        toIsoUtcMillis(ports.now()),
        ports.nonce(),
        digest,
      )
      const signature = await ports.signer.sign(actionSigningBytes(action))
      prepared.push({ action, deviceId: ports.signer.deviceId, signature })
    } catch (error) {
      failures.set(target.approvalId, {
        approvalId: target.approvalId,
        title: target.title,
        state: 'failed',
        code: codeOf(error, 'sign_failed'),
      })
    }
  }
  const answers = prepared.length === 0 ? [] : await ports.send(prepared)
  const byId = new Map(answers.map((answer) => [answer.approvalId, answer]))
  return targets.map((target): BatchRowResult => {
    const failure = failures.get(target.approvalId)
    if (failure !== undefined) {
      return failure
    }
    const answer = byId.get(target.approvalId)
    if (answer?.outcome !== undefined) {
      return { approvalId: target.approvalId, title: target.title, state: answer.outcome }
    }
    return {
      approvalId: target.approvalId,
      title: target.title,
      state: 'failed',
      code: answer?.error?.code ?? 'no_answer',
      ...(answer?.error === undefined ? {} : { message: answer.error.message }),
    }
  })
}

/** @returns how many rows ended in each state. */
export function summarize(results: readonly BatchRowResult[]): Record<BatchRowState, number> {
  const summary: Record<BatchRowState, number> = { applied: 0, superseded: 0, failed: 0 }
  for (const result of results) {
    summary[result.state]++
  }
  return summary
}
