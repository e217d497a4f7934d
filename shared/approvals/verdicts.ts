/**
 * Verdicts of judge.ts: the contract's error codes (DESIGN §7) with their HTTP statuses, and a finer
 * machine `reason` with a Chinese-first message for each refusal.
 *
 * @example
 *   const verdict = judge(instance, actions, action, actorId, ctx)
 *   if (!verdict.ok) reply.code(APPROVAL_ERROR_STATUS[verdict.code]).send({ error: { code: verdict.code, message: verdict.message } })
 */

/** Error codes of the approvals API, in the order the relay judges (DESIGN §7). */
export type ApprovalErrorCode =
  /** 403: the device is not registered to the actor. */
  | 'unknown_device'
  /** 403: the device was revoked before the action arrived. */
  | 'revoked_device'
  /** 403: the SM2 signature does not verify. */
  | 'bad_signature'
  /** 400: wrong approval, or the type (or target) does not fit the stage. */
  | 'invalid_action'
  /** 409: the nonce was seen before. */
  | 'replayed'
  /** 403: neither the actor nor the one they act for (with a delegation in force) holds the stage. */
  | 'not_assignee'
  /** 409: the digest is not the document's current one (checked by the server). */
  | 'digest_mismatch'
  /** 409: the rules refuse it now (withdraw after the next person acted, a finished approval, …). */
  | 'too_late'
  /** 409 (extension): the actor holds the stage but their place is not open yet. */
  | 'not_your_turn'

/** The codes judge.ts itself produces (the others are the server's). */
export type VerdictCode = Extract<
  ApprovalErrorCode,
  'invalid_action' | 'replayed' | 'not_assignee' | 'too_late' | 'not_your_turn'
>

/** HTTP status of each approvals error code. */
export const APPROVAL_ERROR_STATUS: Readonly<Record<ApprovalErrorCode, number>> = {
  unknown_device: 403,
  revoked_device: 403,
  bad_signature: 403,
  invalid_action: 400,
  replayed: 409,
  not_assignee: 403,
  digest_mismatch: 409,
  too_late: 409,
  not_your_turn: 409,
}

/** The finer reason of a refusal; each one is explained by its message in REASON_MESSAGES. */
export type VerdictReason =
  | 'wrong_approval'
  | 'unknown_stage'
  | 'type_not_for_stage'
  | 'system_only'
  | 'not_system'
  | 'self_delegation'
  | 'digest_required'
  | 'stage_skipped'
  | 'bad_target'
  | 'inactive_target'
  | 'already_assignee'
  | 'nonce_seen'
  | 'no_delegation'
  | 'not_participant'
  | 'not_initiator'
  | 'already_submitted'
  | 'not_submitted'
  | 'not_returned'
  | 'finished'
  | 'already_acted'
  | 'later_step'
  | 'nothing_to_withdraw'
  | 'not_latest'
  | 'next_acted'
  | 'not_signed_off'
  | 'no_open_place'

/** Messages of each reason, Chinese first. */
export const REASON_MESSAGES: Readonly<Record<VerdictReason, string>> = {
  wrong_approval: '操作不属于该审批 (action is for another approval)',
  unknown_stage: '环节不存在 (unknown stage)',
  type_not_for_stage: '该环节不接受此操作 (this stage does not take this action)',
  system_only: '此操作只能由系统记录 (recorded by the system only)',
  not_system: '系统不能代替用户操作 (a person’s action)',
  self_delegation: '不能代替本人操作 (onBehalfOf is the actor)',
  digest_required: '同意或签发须绑定公文内容摘要 (contentDigest required)',
  stage_skipped: '该环节已自动跳过 (the stage is skipped)',
  bad_target: '操作对象无效 (invalid target)',
  inactive_target: '对象账号已停用 (the target account is deactivated)',
  already_assignee: '对象已是本环节审批人 (already an assignee of this stage)',
  nonce_seen: '重复提交的操作 (nonce already seen)',
  no_delegation: '没有有效的授权代理 (no delegation in force)',
  not_participant: '您不是本环节的审批人 (not an assignee of this stage)',
  not_initiator: '只有发起人可以执行此操作 (initiator only)',
  already_submitted: '审批已提交 (already submitted)',
  not_submitted: '审批尚未提交 (not submitted yet)',
  not_returned: '审批未退回发起人，不能重新提交 (not returned to the initiator)',
  finished: '审批已结束 (the approval is finished)',
  already_acted: '您已处理过本环节 (already acted at this stage)',
  later_step: '尚未轮到您处理 (not your turn yet)',
  nothing_to_withdraw: '没有可撤回的操作 (nothing to withdraw)',
  not_latest: '只能撤回您最近的一次操作 (only your latest decision can be withdrawn)',
  next_acted: '下一处理人已处理，不能撤回 (the next person has acted)',
  not_signed_off: '该签发环节尚未签发 (the signoff stage is not signed off)',
  no_open_place: '该用户在本环节没有待处理的位置 (no open place for this user)',
}

/** The outcome of judging one candidate action. */
export type Verdict =
  | { readonly ok: true; readonly outcome: 'applied' | 'superseded' }
  | {
      readonly ok: false
      readonly code: VerdictCode
      readonly reason: VerdictReason
      readonly message: string
    }

/** @returns a refusal with its message. */
export function refuse(code: VerdictCode, reason: VerdictReason): Verdict {
  return { ok: false, code, reason, message: REASON_MESSAGES[reason] }
}

/** The verdict of an action to record and apply (created once). */
export const APPLIED: Verdict = { ok: true, outcome: 'applied' }

/** The verdict of an action to record without applying: its stage moved on (created once). */
export const SUPERSEDED: Verdict = { ok: true, outcome: 'superseded' }
