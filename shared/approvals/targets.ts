/**
 * Checks of an action's target (internal to rules.ts): a return goes to an earlier stage that can
 * be re-opened, a transfer or added signers name other active users (never the initiator of a
 * review), a number is not empty, a reassignment changes hands. All are `invalid_action`.
 */
import { SYSTEM_ACTOR_ID } from './actions'
import type { ApprovalAction } from './actions'
import type { Run, StageRun } from './run'
import { START_STAGE_ID } from './types'
import { refuse } from './verdicts'
import type { Verdict } from './verdicts'

const SEPARATED: ReadonlySet<string> = new Set(['review', 'countersign'])

/** @returns the refusal of a bad target, or null. */
export function targetProblem(
  run: Run,
  action: ApprovalAction,
  actor: string,
  stage: StageRun | undefined,
  isActive: ((userId: string) => boolean) | undefined,
): Verdict | null {
  switch (action.type) {
    case 'return': {
      const to = action.target.stageId
      if (to === START_STAGE_ID) {
        return null
      }
      const index = run.stageIndex.get(to)
      const target = index === undefined ? undefined : run.stages[index]
      const ok =
        target !== undefined &&
        stage !== undefined &&
        target.index < stage.index &&
        target.def.skipped === undefined &&
        target.def.kind !== 'number'
      return ok ? null : refuse('invalid_action', 'bad_target')
    }
    case 'transfer':
    case 'addSigner': {
      const users = action.type === 'transfer' ? [action.target.userId] : action.target.userIds
      const separated = stage !== undefined && SEPARATED.has(stage.def.kind)
      const bad =
        users.length === 0 ||
        new Set(users).size < users.length ||
        users.some((user) => user.length === 0 || user === actor || user === SYSTEM_ACTOR_ID) ||
        (separated && users.includes(run.instance.initiatorId))
      if (bad) {
        return refuse('invalid_action', 'bad_target')
      }
      if (isActive !== undefined && users.some((user) => !isActive(user))) {
        return refuse('invalid_action', 'inactive_target')
      }
      return null
    }
    case 'number':
      return action.target.documentNumber.length > 0 ? null : refuse('invalid_action', 'bad_target')
    case 'reassign':
      return action.target.fromUserId === action.target.userId
        ? refuse('invalid_action', 'bad_target')
        : null
    default:
      return null
  }
}
