/**
 * Taking an approval action from the page: bind it to the document's current content (approve and
 * 签发 carry its SM3 digest: the relay's, or offline the one of this device's copy), stamp it
 * (nonce, time), sign its canonical bytes with this device's key, and send it — or, with no
 * network, queue it signed in the outbox (待发送) to be sent on reconnect.
 *
 * @example
 *   const outcome = await performAction(view, { type: 'approve', stageId: 'review' }, { userId })
 *   if (outcome.kind === 'failed') ElMessage.error(t(outcome.messageKey))
 */
import { START_STAGE_ID, actionSigningBytes } from '../../../../shared/approvals'
import type { ActionDraft } from '../../../../shared/approvals'
import { actOnApproval, documentDigest } from '../../../../shared/http/routes/approvals'
import type { ApprovalView } from '../../../../shared/http/routes/approvals'
import { call } from '../../api/call'
import { ApiError, errorMessage } from '../../api/errors'
import { approvalErrorKey } from './model/actionText'
import { composeDraft, needsDigest, stampDraft } from './model/composer'
import type { DraftInput } from './model/composer'
import type { SignedRequest } from './model/outbox'
import { useApprovalOutboxStore } from './stores/outboxStore'
import { signBytes, useSigningDeviceStore } from './stores/signingDevice'

/** What became of an action. */
export type ActOutcome =
  /** Recorded by the relay (superseded: its stage had moved on); `view` is the new state. */
  | { readonly kind: 'applied' | 'superseded'; readonly view: ApprovalView }
  /** Signed and queued on this device (no network). */
  | { readonly kind: 'queued' }
  /** The user declined to register a signing device. */
  | { readonly kind: 'cancelled' }
  /** Refused or impossible; `messageKey` says why in plain words. */
  | {
      readonly kind: 'failed'
      readonly messageKey: string
      readonly params?: Readonly<Record<string, string>>
      readonly code?: string
    }

/** What performAction needs besides the view and the input. */
export interface ActContext {
  readonly userId: string
  /** The digest of this device's copy of the document (offline approve), or null without one. */
  readonly localDigest?: () => string | null
}

function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.isNetwork || error.status >= 500)
}

async function digestFor(documentId: string, ctx: ActContext): Promise<string | null> {
  if (navigator.onLine) {
    try {
      return (await call(documentDigest, { params: { id: documentId } })).digest
    } catch (error) {
      if (!isUnreachable(error)) {
        throw error
      }
    }
  }
  return ctx.localDigest?.() ?? null
}

function failure(error: unknown): ActOutcome {
  if (error instanceof ApiError) {
    // The approvals codes in their plain words; any other (forbidden, rate_limited, …) as elsewhere.
    const general = errorMessage(error)
    const key = approvalErrorKey(error.code)
    return key !== null
      ? { kind: 'failed', messageKey: key, code: error.code }
      : { kind: 'failed', messageKey: general.key, params: general.params, code: error.code }
  }
  const key =
    error instanceof Error && error.message.startsWith('approval.')
      ? error.message
      : 'errors.unknown'
  return { kind: 'failed', messageKey: key }
}

/**
 * Signs a draft for an approval and sends it, or queues it when the relay cannot be reached.
 * @returns the outcome (never throws)
 */
export async function signAndSend(
  approvalId: string,
  draft: ActionDraft,
  userId: string,
): Promise<ActOutcome> {
  const devices = useSigningDeviceStore()
  const outbox = useApprovalOutboxStore()
  const device = await devices.ensure(userId)
  if (device === null) {
    return { kind: 'cancelled' }
  }
  let request: SignedRequest
  try {
    // reason: drafts come from composeDraft, whose types are client action types only.
    const action = stampDraft(draft, approvalId) as SignedRequest['action']
    const signature = await signBytes(userId, actionSigningBytes(action))
    request = { action, deviceId: device.id, signature }
  } catch (error) {
    return failure(error)
  }
  const queue = (): ActOutcome => {
    outbox.add({ approvalId, actorId: userId, request, queuedAt: new Date().toISOString() })
    return { kind: 'queued' }
  }
  if (!navigator.onLine) {
    return queue()
  }
  try {
    const answer = await call(actOnApproval, { params: { id: approvalId }, body: request })
    return { kind: answer.outcome, view: answer.approval }
  } catch (error) {
    if (isUnreachable(error)) {
      return queue()
    }
    if (
      error instanceof ApiError &&
      (error.code === 'revoked_device' || error.code === 'unknown_device')
    ) {
      // The relay no longer knows this key: the next action registers the device again.
      await devices.forget(userId)
    }
    return failure(error)
  }
}

/** Fills in the digest an approve or 签发 of a document binds to, then signs and sends. */
export async function performAction(
  view: ApprovalView,
  input: DraftInput,
  ctx: ActContext,
): Promise<ActOutcome> {
  let contentDigest: string | undefined
  const subject = view.instance.subject
  if (needsDigest(view, input.type) && subject.type === 'document') {
    try {
      const digest = await digestFor(subject.documentId, ctx)
      if (digest === null) {
        return { kind: 'failed', messageKey: 'approval.error.digestOffline' }
      }
      contentDigest = digest
    } catch (error) {
      return failure(error)
    }
  }
  let draft: ActionDraft
  try {
    draft = composeDraft({ ...input, ...(contentDigest !== undefined ? { contentDigest } : {}) })
  } catch (error) {
    return failure(error)
  }
  return signAndSend(view.id, draft, ctx.userId)
}

/**
 * Signs and sends the initiator's `submit` of a new approval (stage `start`), which starts its
 * first stage. @returns null when it was recorded or queued, else the message key of why not
 */
export async function submitNew(approvalId: string, userId: string): Promise<string | null> {
  const outcome = await signAndSend(approvalId, { type: 'submit', stageId: START_STAGE_ID }, userId)
  switch (outcome.kind) {
    case 'failed':
      return outcome.messageKey
    case 'cancelled':
      return 'approval.error.noKey'
    default:
      return null
  }
}
