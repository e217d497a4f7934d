/**
 * The approval contract of DESIGN §7 as types, part two: the actions people sign and the server
 * records. The names are the contract's; this file only extends them (system actions,
 * `receivedAt`, `substantiveDigest`).
 *
 * @example
 *   const action: ApprovalAction = {
 *     approvalId: 'a1', type: 'approve', stageId: 'review', nonce: 'n-1',
 *     createdAt: '2026-12-07T02:21:26.000Z', contentDigest: '9f…',
 *   }
 */

/** Action types a person signs on a device (the wire format of `POST …/actions`). */
export type ClientActionType =
  /** 发起: the initiator's first action (stage `start`). */
  | 'submit'
  /** 同意: consent at a review, countersign, seal, distribute or archive stage. */
  | 'approve'
  /** 驳回: ends the approval as rejected. */
  | 'reject'
  /** 退回: re-opens a named earlier stage, or hands it back to the initiator (`start`). */
  | 'return'
  /** 转交: hands the actor's place to another user. */
  | 'transfer'
  /** 加签: adds signers before, after or in parallel with the actor. */
  | 'addSigner'
  /** 撤回: the initiator withdraws the approval, or an approver their own latest decision. */
  | 'withdraw'
  /** 催办: the initiator urges the current stage; changes no state. */
  | 'urge'
  /** 意见/评论: recorded, changes no state. */
  | 'comment'
  /** 签发: consent at a signoff stage; with no opinion it is 圈阅, which counts as consent. */
  | 'signoff'
  /** 重新提交: the initiator resubmits after a return to `start`. */
  | 'resubmit'

/** Action types only the server records (actor {@link SYSTEM_ACTOR_ID}, no device signature). */
export type SystemActionType =
  /** 编号: the register assigned the 发文字号 (`target.documentNumber`); completes a number stage. */
  | 'number'
  /** 改派: an assignee was deactivated; `target.fromUserId`'s open places go to `target.userId`. */
  | 'reassign'
  /** 发文复核: a substantive change after 签发 re-opens the signoff stage for its original signers. */
  | 'reopen'
  /** 提醒: a time-limit reminder was sent; changes no state. */
  | 'remind'

/** Any action type in an approval's list. */
export type ActionType = ClientActionType | SystemActionType

/** Every client action type. */
export const CLIENT_ACTION_TYPES = [
  'submit',
  'approve',
  'reject',
  'return',
  'transfer',
  'addSigner',
  'withdraw',
  'urge',
  'comment',
  'signoff',
  'resubmit',
] as const satisfies readonly ClientActionType[]

/** Every system action type. */
export const SYSTEM_ACTION_TYPES = [
  'number',
  'reassign',
  'reopen',
  'remind',
] as const satisfies readonly SystemActionType[]

/** The actor id of system actions. */
export const SYSTEM_ACTOR_ID = 'system'

/** Where added signers go relative to the actor. */
export type AddSignerPosition =
  /** 前加签: they act first, then the actor's place comes back. */
  | 'before'
  /** 后加签: they act after the actor's place is done. */
  | 'after'
  /** 并加签: they join the actor's place (an all-of place needs them too). */
  | 'parallel'

/** Fields every action carries (DESIGN §7); absent optional fields are omitted, never null. */
export interface ActionBase {
  readonly approvalId: string
  readonly stageId: string
  /** Unique per approval; a seen nonce is `replayed`. */
  readonly nonce: string
  /** ISO 8601 UTC with milliseconds, from the signing device's clock. */
  readonly createdAt: string
  readonly opinion?: string
  /** SM3 hex of the document content the action binds to (shared/gongwen/contentDigest.ts). */
  readonly contentDigest?: string
  /** The leader a deputy acts for (代); needs a delegation in force. */
  readonly onBehalfOf?: string
}

/** An action without a target. */
export interface PlainAction extends ActionBase {
  readonly type: Exclude<ActionType, 'return' | 'transfer' | 'addSigner' | 'number' | 'reassign'>
}

/** 退回 to `target.stageId`: an earlier stage, or `start` (the initiator). */
export interface ReturnAction extends ActionBase {
  readonly type: 'return'
  readonly target: { readonly stageId: string }
}

/** 转交 the actor's place to `target.userId`. */
export interface TransferAction extends ActionBase {
  readonly type: 'transfer'
  readonly target: { readonly userId: string }
}

/** 加签 `target.userIds` at `target.position`. */
export interface AddSignerAction extends ActionBase {
  readonly type: 'addSigner'
  readonly target: { readonly userIds: readonly string[]; readonly position: AddSignerPosition }
}

/** 编号 (system): the 发文字号 the register assigned. */
export interface NumberAction extends ActionBase {
  readonly type: 'number'
  readonly target: { readonly documentNumber: string }
}

/** 改派 (system): the open places of a deactivated user go to a successor. */
export interface ReassignAction extends ActionBase {
  readonly type: 'reassign'
  readonly target: { readonly fromUserId: string; readonly userId: string }
}

/** An action as signed (client types) or issued by the server (system types). */
export type ApprovalAction =
  PlainAction | ReturnAction | TransferAction | AddSignerAction | NumberAction | ReassignAction

/** Whether a recorded action changed the state. */
export type ActionOutcome =
  /** Applied to the state. */
  | 'applied'
  /** Recorded but not applied: its stage was no longer current (or 或签 already decided). */
  | 'superseded'

/** Fields the server adds when it records an action. */
export interface RecordFields {
  readonly id: string
  /** Who signed it (the deputy, when `onBehalfOf` is set), or {@link SYSTEM_ACTOR_ID}. */
  readonly actorId: string
  readonly outcome: ActionOutcome
  /** Server time of receipt, ISO UTC ms; stage deadlines count from it when present. */
  readonly receivedAt?: string
  /** Server-filled on approve/signoff of a document: its substantive digest then (发文复核). */
  readonly substantiveDigest?: string
}

/** An action in an approval's append-only list, in the server's order. */
export type RecordedAction = ApprovalAction & RecordFields

type Unstamped<A> = A extends ApprovalAction ? Omit<A, 'approvalId' | 'nonce' | 'createdAt'> : never

/** An action as the UI prepares it, before it is stamped with approval, nonce and time. */
export type ActionDraft = Unstamped<ApprovalAction>

/** @returns the action a draft becomes with its approval, nonce and creation time. */
export function stampAction(
  draft: ActionDraft,
  stamp: { readonly approvalId: string; readonly nonce: string; readonly createdAt: string },
): ApprovalAction {
  return { ...draft, ...stamp }
}
