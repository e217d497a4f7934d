/**
 * The derived state of an approval: what `reduce(instance, actions)` returns and what the
 * `approval:<id>` room, the 待办 box and the timeline show. Plain data, safe to serialise.
 *
 * @example
 *   const state = reduce(instance, actions)
 *   state.status // 'running'
 *   state.pending // ['u-lead']: who must act now
 */
import type { ApprovalStatus, SkipReason, StageKind, StageMode } from './types'

/** Where a stage stands. */
export type StageStatus =
  /** Not reached yet (or reset by a return). */
  | 'waiting'
  /** Current: its open places wait for action. */
  | 'active'
  /** Completed in this round. */
  | 'done'
  /** Needs no action (see the instance's `skipped` reason). */
  | 'skipped'

/** One step of a stage: users who act together; steps run in order. */
export interface StepState {
  readonly users: readonly string[]
  /** `all`: everyone consents; `any`: the first consent completes the step. */
  readonly need: 'all' | 'any'
  /** Users who consented in this step (this round). */
  readonly consented: readonly string[]
}

/** A consent shown in the timeline and on the 签发 block. */
export interface Consent {
  readonly actionId: string
  /** The assignee (the leader, when a deputy acted). */
  readonly userId: string
  /** Who signed: the deputy when `onBehalf` (the timeline shows 代). */
  readonly actorId: string
  readonly onBehalf: boolean
  readonly type: 'approve' | 'signoff'
  readonly opinion?: string
  readonly contentDigest?: string
  /** 圈阅: a consent with no opinion. */
  readonly circled: boolean
  /** Full time of the consent (签发 shows its full date), ISO UTC ms. */
  readonly at: string
}

/** One stage's state. */
export interface StageState {
  readonly id: string
  readonly name: string
  readonly kind: StageKind
  readonly mode: StageMode
  readonly status: StageStatus
  readonly skipped?: SkipReason
  readonly steps: readonly StepState[]
  /** Every user holding a place in the stage now, in step order. */
  readonly assignees: readonly string[]
  readonly consents: readonly Consent[]
  /** When it became current (deadlines count from here), ISO UTC ms. */
  readonly activatedAt?: string
  readonly completedAt?: string
  /** Re-opened for its original signers after a substantive change (发文复核). */
  readonly reopened: boolean
  readonly lastUrgedAt?: string
}

/** What became of one recorded action. */
export type ActionEffect =
  /** Applied and in force. */
  | 'applied'
  /** Recorded, not applied: its stage was no longer current. */
  | 'superseded'
  /** Applied, then withdrawn by its actor (struck through in the timeline). */
  | 'withdrawn'
  /** Recorded as applied but breaks the rules: not applied (`anomalies` says why). */
  | 'invalid'

/** Per recorded action, in list order. */
export interface ActionState {
  readonly id: string
  readonly effect: ActionEffect
  /** ⚠ A signoff made stale by a later substantive change (发文复核). */
  readonly stale: boolean
}

/** A recorded action that breaks the rules (a tampered or buggy list); verification fails on it. */
export interface Anomaly {
  readonly actionId: string
  /** The verdict code the action would get now, or `outcome_mismatch`. */
  readonly code: string
  readonly reason: string
}

/** The open 发文复核: which stage is re-opened and the signoffs it made stale. */
export interface ReopenState {
  readonly stageId: string
  /** The `reopen` action. */
  readonly actionId: string
  readonly contentDigest?: string
  /** The previous signoffs (⚠ stale). */
  readonly staleActionIds: readonly string[]
}

/** The derived state of an approval. */
export interface ApprovalState {
  readonly approvalId: string
  readonly status: ApprovalStatus
  /** The current stage, `start` while the initiator holds it, null once finished. */
  readonly currentStageId: string | null
  /** Who may act now (the current step's open places; the initiator at `start`). */
  readonly pending: readonly string[]
  readonly stages: readonly StageState[]
  readonly actions: readonly ActionState[]
  /** 发文字号 assigned by the register, once numbered. */
  readonly documentNumber?: string
  /** Set while a signoff stage is re-opened (发文复核), cleared when it is signed again. */
  readonly reopened: ReopenState | null
  /** Every signoff ever made stale; they stay ⚠ in the timeline. */
  readonly staleActionIds: readonly string[]
  readonly anomalies: readonly Anomaly[]
  readonly finishedAt?: string
}
