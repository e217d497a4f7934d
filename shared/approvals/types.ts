/**
 * The approval contract of DESIGN §7 as types, part one: stage kinds and modes, the status of an
 * approval, and the concrete (resolved) instance stored with it. Actions are in actions.ts. The
 * names are the contract's; these files only extend them.
 *
 * @example
 *   const stage: ConcreteStage = { id: 'signoff', name: '签发', kind: 'signoff', mode: 'sequential', assignees: ['u-chief'] }
 */
import type { AssigneeSpec } from './assigneeSpec'

/** What a stage is for; decides which action types it takes (stageRules.ts). */
export type StageKind =
  /** 审核/核稿: a reviewer approves, rejects or returns. The default kind. */
  | 'review'
  /** 会签: the heads of the units concerned approve jointly. */
  | 'countersign'
  /** 签发: the signing leader signs off (opinion, name, full date); only this kind takes `signoff`. */
  | 'signoff'
  /** 编号: the register assigns the 发文字号; completed by a system `number` action, not by a person. */
  | 'number'
  /** 用印: the seal keeper confirms the seal. */
  | 'seal'
  /** 分发: the registrar confirms distribution. */
  | 'distribute'
  /** 归档: the registrar confirms filing; the document's 归档. */
  | 'archive'

/** Every stage kind, in the order of the 公文 outgoing chain. */
export const STAGE_KINDS = [
  'review',
  'countersign',
  'signoff',
  'number',
  'seal',
  'distribute',
  'archive',
] as const satisfies readonly StageKind[]

/** How the assignees of one stage act. */
export type StageMode =
  /** 依次: one after another, in the listed order. */
  | 'sequential'
  /** 会签 (all-of): every assignee must consent. */
  | 'all'
  /** 或签 (any-of): the first consent decides; later ones for the stage are superseded. */
  | 'any'

/** Every stage mode. */
export const STAGE_MODES = ['sequential', 'all', 'any'] as const satisfies readonly StageMode[]

/** The status of an approval. */
export type ApprovalStatus =
  /** 审批中: waiting for someone (the initiator too, after a return). */
  | 'running'
  /** 已通过: every stage completed. */
  | 'approved'
  /** 已驳回: an assignee rejected it; final. */
  | 'rejected'
  /** 已撤回: the initiator withdrew it; final. */
  | 'withdrawn'

/** The stage id of the initiator's own place (拟稿/发起): submit, resubmit and their withdraw. */
export const START_STAGE_ID = 'start'

/** What an approval is about. */
export type ApprovalSubject =
  /** A 公文 or working document; approve/signoff must carry its content digest. */
  | { readonly type: 'document'; readonly documentId: string }
  /** A filled form (请假, 出差, 用印申请, …) and its data. */
  | {
      readonly type: 'form'
      readonly formId: string
      readonly data: Readonly<Record<string, unknown>>
    }

/** Why a resolved stage needs nobody's action. */
export type SkipReason =
  /** The initiator was its only assignee (separation of duties), and no post above them exists. */
  | 'initiator'
  /** Its assignees already consent at the stage just before (连续审批去重). */
  | 'duplicate'

/** One stage of a concrete instance, with resolved user ids. */
export interface ConcreteStage {
  readonly id: string
  readonly name: string
  readonly kind: StageKind
  readonly mode: StageMode
  /** Resolved user ids, in order; empty only when `skipped`. */
  readonly assignees: readonly string[]
  /** Set when the stage needs no action; the timeline shows why. */
  readonly skipped?: SkipReason
  /** The post asked for, when the initiator's own rank moved the stage up (e.g. 科室负责人). */
  readonly escalatedFrom?: string
  /** The template's specs, kept so a deactivated assignee's successor can be resolved later. */
  readonly assigneeSpecs?: readonly AssigneeSpec[]
  /** Time limit in hours from the stage's activation. */
  readonly timeLimitHours?: number
  /** Hours before the limit at which the assignees are reminded. */
  readonly remindBeforeHours?: number
}

/** A concrete instance: everything `reduce` needs, stored with the approval. */
export interface ApprovalInstance {
  readonly id: string
  readonly flowId?: string
  readonly initiatorId: string
  readonly initiatorUnitId: string
  /** ISO UTC ms. */
  readonly createdAt: string
  readonly subject: ApprovalSubject
  readonly stages: readonly ConcreteStage[]
  /** 抄送: users who follow the approval (and may comment). */
  readonly cc: readonly string[]
}
