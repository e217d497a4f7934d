/**
 * How the approval screens name things: action types (同意, 签发, 圈阅, 代 …), stage kinds, modes
 * and statuses, as keys of the `approval` message table. Pure, so the timeline model and its tests
 * share them with the components.
 *
 * @example
 *   t(actionTypeKey('signoff', true)) // 圈阅
 */
import { APPROVAL_ERROR_STATUS } from '../../../../../shared/approvals'
import type {
  ActionType,
  ApprovalStatus,
  StageKind,
  StageMode,
  StageStatus,
} from '../../../../../shared/approvals'

/** @returns the message key of an action type; a consent without opinion is 圈阅. */
export function actionTypeKey(type: ActionType, circled = false): string {
  if ((type === 'approve' || type === 'signoff') && circled) {
    return 'approval.type.circled'
  }
  return `approval.type.${type}`
}

/** @returns the message key of a stage kind. */
export function stageKindKey(kind: StageKind): string {
  return `approval.kind.${kind}`
}

/** @returns the message key of a stage mode (依次, 会签, 或签). */
export function stageModeKey(mode: StageMode): string {
  return `approval.mode.${mode}`
}

/** @returns the message key of an approval status. */
export function statusKey(status: ApprovalStatus): string {
  return `approval.status.${status}`
}

/** @returns the message key of a stage status. */
export function stageStatusKey(status: StageStatus): string {
  return `approval.stageStatus.${status}`
}

/** @returns an element-plus tag type for an approval status. */
export function statusTagType(status: ApprovalStatus): 'primary' | 'success' | 'danger' | 'info' {
  switch (status) {
    case 'running':
      return 'primary'
    case 'approved':
      return 'success'
    case 'rejected':
      return 'danger'
    case 'withdrawn':
      return 'info'
  }
}

/** @returns a full date-time in Asia/Shanghai, e.g. 2026年12月7日 10:21:26 (seconds kept: an audit). */
export function fullDateTime(iso: string): string {
  const time = Date.parse(iso)
  if (!Number.isFinite(time)) {
    return iso
  }
  const date = new Date(time + 8 * 3_600_000)
  const pad = (value: number): string => String(value).padStart(2, '0')
  return (
    `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日 ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  )
}

/** @returns the message key of an approvals error code (DESIGN §7), or null for other codes. */
export function approvalErrorKey(code: string): string | null {
  return Object.hasOwn(APPROVAL_ERROR_STATUS, code) ? `approval.error.${code}` : null
}
