/**
 * The timeline of an approval page as plain data: one entry per recorded action of the view (who,
 * what, when, opinion, 代, ⚠ stale, superseded or withdrawn, signature check), then this device's
 * queued actions (待发送). The room's view is the truth; queued actions only show until it has them.
 *
 * @example
 *   const entries = buildTimeline(view, { queued: outbox.list(view.id), signatures })
 *   entries[0].actorName // 张秘书, with onBehalfName 李局长: 「张秘书 代 李局长」
 */
import { SYSTEM_ACTOR_ID } from '../../../../../shared/approvals'
import type { ActionEffect, ApprovalAction, RecordedAction } from '../../../../../shared/approvals'
import { START_STAGE_ID } from '../../../../../shared/approvals'
import type { ApprovalView } from '../../../../../shared/http/routes/approvals'

/** The outcome of checking one action's signature on this device. */
export type SignatureCheck =
  /** The SM2 signature verifies with the actor's registered device key. */
  | 'valid'
  /** It does not verify (or the device is not the actor's). */
  | 'invalid'
  /** The device's key could not be fetched (offline); not checked yet. */
  | 'unchecked'
  /** A system action (编号, 改派, 发文复核, 提醒): signed by the relay in the evidence file. */
  | 'system'
  /** Queued on this device, not sent yet. */
  | 'queued'

/** What a timeline entry says about an action's target, as a message key and its params. */
export interface TargetText {
  readonly key: string
  readonly params: Readonly<Record<string, string>>
}

/** One row of the timeline. */
export interface TimelineEntry {
  /** The action id, or `queued:<nonce>` for a queued one. */
  readonly key: string
  readonly actionId: string | null
  readonly type: ApprovalAction['type']
  /** Who signed (the deputy when 代). */
  readonly actorName: string
  /** The leader a deputy acted for (代). */
  readonly onBehalfName?: string
  readonly stageName: string
  /** Taken at the initiator's place (发起): no stage to name. */
  readonly atStart: boolean
  /** ISO UTC ms, the signing device's time. */
  readonly at: string
  readonly opinion?: string
  /** An approve or 签发 with no opinion: 圈阅. */
  readonly circled: boolean
  /** What became of it; `queued` while it waits on this device. */
  readonly effect: ActionEffect | 'queued'
  /** ⚠ a 签发 made stale by a later substantive change (发文复核). */
  readonly stale: boolean
  readonly signature: SignatureCheck
  readonly target?: TargetText
  readonly contentDigest?: string
}

/** A queued action of this device, as the timeline shows it. */
export interface QueuedForTimeline {
  readonly action: ApprovalAction
  readonly actorId: string
}

/** What the timeline shows besides the view. */
export interface TimelineExtras {
  /** Actions queued on this device for this approval, in queue order. */
  readonly queued?: readonly QueuedForTimeline[]
  /** Signature checks by action id; absent: not checked yet. */
  readonly signatures?: ReadonlyMap<string, SignatureCheck>
}

/** @returns the display name of a user id in the view (the id itself if the view has no name). */
export function personName(view: ApprovalView, userId: string): string {
  if (userId === SYSTEM_ACTOR_ID) {
    return '系统'
  }
  return view.people[userId]?.displayName ?? userId
}

/** @returns the name of a stage id in the view (`start`: 发起). */
export function stageName(view: ApprovalView, stageId: string): string {
  if (stageId === START_STAGE_ID) {
    return '发起'
  }
  return (
    view.stages.find((stage) => stage.id === stageId)?.name ??
    view.instance.stages.find((stage) => stage.id === stageId)?.name ??
    stageId
  )
}

/** @returns the target of an action in words (key of the `approval.target` table), or undefined. */
export function targetText(view: ApprovalView, action: ApprovalAction): TargetText | undefined {
  switch (action.type) {
    case 'return':
      return action.target.stageId === START_STAGE_ID
        ? { key: 'approval.target.returnToInitiator', params: {} }
        : {
            key: 'approval.target.returnTo',
            params: { stage: stageName(view, action.target.stageId) },
          }
    case 'transfer':
      return {
        key: 'approval.target.transferTo',
        params: { name: personName(view, action.target.userId) },
      }
    case 'addSigner':
      return {
        key: `approval.target.addSigner.${action.target.position}`,
        params: {
          names: action.target.userIds.map((user) => personName(view, user)).join('、'),
        },
      }
    case 'number':
      return { key: 'approval.target.number', params: { number: action.target.documentNumber } }
    case 'reassign':
      return {
        key: 'approval.target.reassign',
        params: {
          from: personName(view, action.target.fromUserId),
          to: personName(view, action.target.userId),
        },
      }
    default:
      return undefined
  }
}

function isConsent(action: ApprovalAction): boolean {
  return action.type === 'approve' || action.type === 'signoff'
}

function entryOf(
  view: ApprovalView,
  action: ApprovalAction,
  actorId: string,
  rest: Pick<TimelineEntry, 'key' | 'actionId' | 'effect' | 'stale' | 'signature'>,
): TimelineEntry {
  const opinion = action.opinion?.trim() ?? ''
  const target = targetText(view, action)
  return {
    ...rest,
    type: action.type,
    actorName: personName(view, actorId),
    ...(action.onBehalfOf !== undefined
      ? { onBehalfName: personName(view, action.onBehalfOf) }
      : {}),
    stageName: stageName(view, action.stageId),
    atStart: action.stageId === START_STAGE_ID,
    at: action.createdAt,
    ...(opinion !== '' ? { opinion: action.opinion } : {}),
    circled: isConsent(action) && opinion === '',
    ...(target !== undefined ? { target } : {}),
    ...(action.contentDigest !== undefined ? { contentDigest: action.contentDigest } : {}),
  }
}

function signatureOf(
  action: RecordedAction,
  signatures: ReadonlyMap<string, SignatureCheck> | undefined,
): SignatureCheck {
  if (action.actorId === SYSTEM_ACTOR_ID) {
    return 'system'
  }
  return signatures?.get(action.id) ?? 'unchecked'
}

/**
 * @returns the timeline of a view: its recorded actions in the server's order (effect and ⚠ from
 *   the server's state), then the queued ones the view does not hold yet (by nonce)
 */
export function buildTimeline(view: ApprovalView, extras: TimelineExtras = {}): TimelineEntry[] {
  const effects = new Map(view.state.actions.map((state) => [state.id, state]))
  const stale = new Set(view.state.staleActionIds)
  const recorded = view.actions.map((action) => {
    const state = effects.get(action.id)
    return entryOf(view, action, action.actorId, {
      key: action.id,
      actionId: action.id,
      effect: state?.effect ?? action.outcome,
      stale: state?.stale === true || stale.has(action.id),
      signature: signatureOf(action, extras.signatures),
    })
  })
  const seen = new Set(view.actions.map((action) => action.nonce))
  const queued = (extras.queued ?? [])
    .filter((item) => !seen.has(item.action.nonce))
    .map((item) =>
      entryOf(view, item.action, item.actorId, {
        key: `queued:${item.action.nonce}`,
        actionId: null,
        effect: 'queued',
        stale: false,
        signature: 'queued',
      }),
    )
  return [...recorded, ...queued]
}
