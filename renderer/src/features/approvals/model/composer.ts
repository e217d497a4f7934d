/**
 * The action bar's logic: which actions the user may take now (asked of the engine's `judge`, never
 * re-implemented here), for themselves or for a leader who delegated to them (代), and the drafts
 * the dialogs turn into signed actions.
 *
 * @example
 *   const offers = availableActions(view, me.id, delegations, new Date().toISOString())
 *   const draft = composeDraft({ type: 'return', stageId: 'review', target: { stageId: 'start' } })
 */
import { START_STAGE_ID, judge, stampAction } from '../../../../../shared/approvals'
import type {
  ActionDraft,
  AddSignerPosition,
  ApprovalAction,
  ClientActionType,
  Delegation,
  StageState,
} from '../../../../../shared/approvals'
import type { ApprovalView } from '../../../../../shared/http/routes/approvals'

/** An action the user may take now. */
export interface ActionOffer {
  readonly type: ClientActionType
  readonly stageId: string
  /** The leader the user acts for (代), when acting under a delegation. */
  readonly onBehalfOf?: string
}

/** What the user fills in an action dialog. */
export interface DraftInput {
  readonly type: ClientActionType
  readonly stageId: string
  readonly opinion?: string
  readonly onBehalfOf?: string
  readonly contentDigest?: string
  /** return */
  readonly returnTo?: string
  /** transfer */
  readonly transferTo?: string
  /** addSigner */
  readonly addUsers?: readonly string[]
  readonly position?: AddSignerPosition
}

const PROBE_DIGEST = '0'.repeat(64)
const PROBE_USER = 'probe-user'

/** The order of the action bar. */
const BAR_ORDER: readonly ClientActionType[] = [
  'submit',
  'resubmit',
  'approve',
  'signoff',
  'reject',
  'return',
  'transfer',
  'addSigner',
  'urge',
  'withdraw',
  'comment',
]

function probeDraft(type: ClientActionType, stageId: string): ActionDraft {
  switch (type) {
    case 'return':
      return { type, stageId, target: { stageId: START_STAGE_ID } }
    case 'transfer':
      return { type, stageId, target: { userId: PROBE_USER } }
    case 'addSigner':
      return { type, stageId, target: { userIds: [PROBE_USER], position: 'after' } }
    default:
      return { type, stageId }
  }
}

/** @returns the stage of `userId`'s latest decision in force (what a withdraw takes back). */
function latestDecisionStage(view: ApprovalView, userId: string): string | null {
  const effects = new Map(view.state.actions.map((state) => [state.id, state.effect]))
  for (let i = view.actions.length - 1; i >= 0; i--) {
    const action = view.actions[i]
    if (action === undefined || effects.get(action.id) !== 'applied') {
      continue
    }
    if ((action.onBehalfOf ?? action.actorId) === userId && action.type !== 'comment') {
      if (action.type !== 'urge' && action.type !== 'withdraw' && action.type !== 'remind') {
        return action.stageId
      }
    }
  }
  return null
}

function candidates(
  view: ApprovalView,
  actor: string,
): { type: ClientActionType; stageId: string }[] {
  const current = view.state.currentStageId
  const list: { type: ClientActionType; stageId: string }[] = []
  if (current === START_STAGE_ID) {
    list.push(
      { type: 'submit', stageId: START_STAGE_ID },
      { type: 'resubmit', stageId: START_STAGE_ID },
    )
  } else if (current !== null) {
    for (const type of [
      'approve',
      'signoff',
      'reject',
      'return',
      'transfer',
      'addSigner',
      'urge',
    ] as const) {
      list.push({ type, stageId: current })
    }
  }
  const withdrawAt = latestDecisionStage(view, actor)
  if (withdrawAt !== null) {
    list.push({ type: 'withdraw', stageId: withdrawAt })
  }
  list.push({ type: 'comment', stageId: current ?? START_STAGE_ID })
  return list
}

/** @returns the engine's delegations from the API's (those to `userId`, not revoked). */
export function delegationsTo(
  userId: string,
  received: readonly {
    fromUserId: string
    toUserId: string
    scope: 'signoff' | 'all'
    until: string
    revokedAt: string | null
    createdAt: string
  }[],
): Delegation[] {
  return received
    .filter((item) => item.toUserId === userId && item.revokedAt === null)
    .map((item) => ({
      from: item.fromUserId,
      to: item.toUserId,
      scope: item.scope,
      until: item.until,
      since: item.createdAt,
    }))
}

/**
 * @returns what `userId` may do now, for themselves and for each leader who delegated to them,
 *   in the action bar's order (comment and withdraw only for themselves)
 */
export function availableActions(
  view: ApprovalView,
  userId: string,
  delegations: readonly Delegation[],
  now: string,
): ActionOffer[] {
  const offers: ActionOffer[] = []
  const document = view.instance.subject.type === 'document'
  const leaders = [...new Set(delegations.filter((d) => d.to === userId).map((d) => d.from))]
  const ask = (type: ClientActionType, stageId: string, onBehalfOf?: string): boolean => {
    const draft = probeDraft(type, stageId)
    const withDigest =
      document && (type === 'approve' || type === 'signoff') ? { contentDigest: PROBE_DIGEST } : {}
    const action = stampAction(
      {
        ...draft,
        ...withDigest,
        ...(onBehalfOf !== undefined ? { onBehalfOf } : {}),
      } as ActionDraft,
      { approvalId: view.id, nonce: 'probe-nonce', createdAt: now },
    )
    const verdict = judge(view.instance, view.actions, action, userId, { now, delegations })
    return verdict.ok && verdict.outcome === 'applied'
  }
  for (const { type, stageId } of candidates(view, userId)) {
    if (ask(type, stageId)) {
      offers.push({ type, stageId })
    }
  }
  for (const leader of leaders) {
    for (const { type, stageId } of candidates(view, leader)) {
      if (type === 'comment' || type === 'withdraw' || type === 'urge') {
        continue
      }
      if (ask(type, stageId, leader)) {
        offers.push({ type, stageId, onBehalfOf: leader })
      }
    }
  }
  return offers.sort((a, b) => BAR_ORDER.indexOf(a.type) - BAR_ORDER.indexOf(b.type))
}

/** @returns the stages a 退回 from `stageId` may go to: 发起 and earlier stages that can re-open. */
export function returnTargets(view: ApprovalView, stageId: string): StageState[] {
  const index = view.stages.findIndex((stage) => stage.id === stageId)
  return view.stages
    .slice(0, Math.max(index, 0))
    .filter((stage) => stage.skipped === undefined && stage.kind !== 'number')
}

/** Why a draft cannot be made yet (a message key), or null. */
export function draftProblem(input: DraftInput): string | null {
  switch (input.type) {
    case 'return':
      return input.returnTo === undefined || input.returnTo === ''
        ? 'approval.compose.pickStage'
        : null
    case 'transfer':
      return input.transferTo === undefined || input.transferTo === ''
        ? 'approval.compose.pickPerson'
        : null
    case 'addSigner':
      return (input.addUsers?.length ?? 0) === 0 ? 'approval.compose.pickPeople' : null
    case 'comment':
      return (input.opinion?.trim() ?? '') === '' ? 'approval.compose.opinionRequired' : null
    case 'reject':
      return (input.opinion?.trim() ?? '') === '' ? 'approval.compose.reasonRequired' : null
    default:
      return null
  }
}

/** @returns the draft of a filled dialog (opinion trimmed, omitted when empty). @throws when incomplete */
export function composeDraft(input: DraftInput): ActionDraft {
  const problem = draftProblem(input)
  if (problem !== null) {
    throw new Error(problem)
  }
  const opinion = input.opinion?.trim() ?? ''
  const base = {
    stageId: input.stageId,
    ...(opinion !== '' ? { opinion } : {}),
    ...(input.onBehalfOf !== undefined ? { onBehalfOf: input.onBehalfOf } : {}),
    ...(input.contentDigest !== undefined ? { contentDigest: input.contentDigest } : {}),
  }
  switch (input.type) {
    case 'return':
      return { ...base, type: 'return', target: { stageId: input.returnTo ?? START_STAGE_ID } }
    case 'transfer':
      return { ...base, type: 'transfer', target: { userId: input.transferTo ?? '' } }
    case 'addSigner':
      return {
        ...base,
        type: 'addSigner',
        target: { userIds: [...(input.addUsers ?? [])], position: input.position ?? 'after' },
      }
    default:
      return { ...base, type: input.type }
  }
}

/** @returns whether an action type binds to the document's content (approve, 签发 of a document). */
export function needsDigest(view: ApprovalView, type: ClientActionType): boolean {
  return view.instance.subject.type === 'document' && (type === 'approve' || type === 'signoff')
}

/** @returns a fresh nonce: 16 random bytes, base64url. */
export function newNonce(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(16))
  let text = ''
  for (const byte of bytes) {
    text += String.fromCharCode(byte)
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** @returns the draft stamped for `approvalId` with a fresh nonce and the time (ISO UTC ms). */
export function stampDraft(
  draft: ActionDraft,
  approvalId: string,
  now: Date = new Date(),
): ApprovalAction {
  return stampAction(draft, { approvalId, nonce: newNonce(), createdAt: now.toISOString() })
}
