/**
 * Resolves one template stage's assignee specs against the directory (see resolve.ts for the
 * decisions): posts and roles along the initiator's unit chain, nearest unit first; the initiator
 * dropped from review and countersign stages, and a post at or below their own rank moved up the
 * ladder (科室负责人 → 分管领导 → 主要领导). Also used to find a deactivated assignee's successor.
 *
 * @example
 *   const result = resolveStage(LEAVE_FLOW.stages[0], params, dir)
 *   if (result.ok) result.stage.assignees // ['u-head']
 */
import { POST_LADDER } from './assigneeSpec'
import type { AssigneeSpec, Post } from './assigneeSpec'
import type { ApprovalDirectory } from './directory'
import type { StageTemplate } from './flowTemplate'
import type {
  ApprovalInstance,
  ApprovalSubject,
  ConcreteStage,
  SkipReason,
  StageKind,
} from './types'

/** What starting an approval provides besides the template. */
export interface StartParams {
  readonly approvalId: string
  readonly initiatorId: string
  readonly initiatorUnitId: string
  /** ISO UTC ms. */
  readonly createdAt: string
  readonly subject: ApprovalSubject
  /** Data for conditions and `field` specs; defaults to a form subject's data (documents: {}). */
  readonly data?: Readonly<Record<string, unknown>>
  readonly cc?: readonly string[]
}

/** Why a flow could not be resolved. */
export type ResolveErrorCode =
  /** A stage found nobody to act (the stage is named). */
  | 'no_assignee'
  /** A user named explicitly (by id or in a person field) is deactivated. */
  | 'inactive_assignee'
  /** The template itself is malformed (duplicate or reserved stage id, empty stage). */
  | 'invalid_template'

/** A resolution error, with the stage (and user) it concerns. */
export interface ResolveError {
  readonly code: ResolveErrorCode
  readonly stageId?: string
  readonly stageName?: string
  readonly userId?: string
  /** Chinese first. */
  readonly message: string
}

/** The outcome of {@link resolveFlow}. */
export type ResolveResult =
  | { readonly ok: true; readonly instance: ApprovalInstance }
  | { readonly ok: false; readonly error: ResolveError }

/** Stage kinds where the initiator may not act on their own request. */
const SEPARATED_KINDS: ReadonlySet<StageKind> = new Set(['review', 'countersign'])

interface Resolved {
  users: string[]
  escalatedFrom?: Post
  /** Whether the initiator was found and dropped (or outranks every post asked for). */
  droppedInitiator: boolean
  inactive?: string
}

interface Context {
  readonly params: StartParams
  readonly data: Readonly<Record<string, unknown>>
  readonly dir: ApprovalDirectory
  readonly chain: readonly string[]
}

/** The users of the nearest unit with an active holder other than `exclude`. */
function nearest(
  chain: readonly string[],
  holders: (unitId: string) => readonly string[],
  ctx: Context,
  exclude: string | null,
): { users: string[]; sawExcluded: boolean } {
  let sawExcluded = false
  for (const unitId of chain) {
    const active = holders(unitId).filter((user) => ctx.dir.isActive(user))
    sawExcluded ||= exclude !== null && active.includes(exclude)
    const users = active.filter((user) => user !== exclude)
    if (users.length > 0) {
      return { users, sawExcluded }
    }
  }
  return { users: [], sawExcluded }
}

/** The highest ladder index of a post the initiator holds in their chain (-1: none). */
function initiatorRank(ctx: Context): number {
  const me = ctx.params.initiatorId
  let rank = -1
  POST_LADDER.forEach((post, index) => {
    if (ctx.chain.some((unitId) => ctx.dir.postHolders(unitId, post).includes(me))) {
      rank = index
    }
  })
  return rank
}

function namedUsers(value: unknown): string[] {
  if (typeof value === 'string' && value.length > 0) {
    return [value]
  }
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : []
}

function resolveSpec(spec: AssigneeSpec, separated: boolean, ctx: Context): Resolved {
  const me = separated ? ctx.params.initiatorId : null
  if ('user' in spec || 'field' in spec) {
    const users = 'user' in spec ? [spec.user] : namedUsers(ctx.data[spec.field])
    const inactive = users.find((user) => !ctx.dir.isActive(user))
    const kept = users.filter((user) => user !== me)
    return { users: kept, droppedInitiator: kept.length < users.length, inactive }
  }
  if ('role' in spec) {
    const found = nearest(ctx.chain, (unitId) => ctx.dir.roleHolders(spec.role, unitId), ctx, me)
    return { users: found.users, droppedInitiator: found.sawExcluded }
  }
  const post = spec.post
  if (spec.unitsFrom !== undefined) {
    const users = namedUsers(ctx.data[spec.unitsFrom]).flatMap(
      (unitId) =>
        nearest(ctx.dir.unitChain(unitId), (u) => ctx.dir.postHolders(u, post), ctx, me).users,
    )
    return { users, droppedInitiator: false }
  }
  const asked = POST_LADDER.indexOf(post)
  // A post at or below the initiator's own rank moves up to the post above them.
  const from = me === null ? asked : Math.max(asked, initiatorRank(ctx) + 1)
  let sawExcluded = from > asked
  for (let index = from; index < POST_LADDER.length; index++) {
    const ladderPost = POST_LADDER[index] ?? post
    const found = nearest(ctx.chain, (u) => ctx.dir.postHolders(u, ladderPost), ctx, me)
    sawExcluded ||= found.sawExcluded
    if (found.users.length > 0) {
      return {
        users: found.users,
        droppedInitiator: sawExcluded,
        ...(index > asked ? { escalatedFrom: post } : {}),
      }
    }
    // Only the initiator's own rank moves a stage up; a post nobody holds is `no_assignee`.
    if (!sawExcluded) {
      break
    }
  }
  return { users: [], droppedInitiator: sawExcluded }
}

function concrete(
  stage: StageTemplate,
  users: readonly string[],
  extra: { skipped?: SkipReason; escalatedFrom?: Post },
): ConcreteStage {
  return {
    id: stage.id,
    name: stage.name,
    kind: stage.kind ?? 'review',
    mode: stage.mode,
    assignees: users,
    assigneeSpecs: stage.assignees,
    ...extra,
    ...(stage.timeLimitHours !== undefined ? { timeLimitHours: stage.timeLimitHours } : {}),
    ...(stage.remindBeforeHours !== undefined
      ? { remindBeforeHours: stage.remindBeforeHours }
      : {}),
  }
}

/**
 * Resolves the assignees of one template stage for an initiator (also used to find successors).
 * @returns the stage with resolved users, or the error naming it
 */
export function resolveStage(
  stage: StageTemplate,
  params: StartParams,
  dir: ApprovalDirectory,
): { ok: true; stage: ConcreteStage } | { ok: false; error: ResolveError } {
  const data = params.data ?? (params.subject.type === 'form' ? params.subject.data : {})
  const ctx: Context = { params, data, dir, chain: dir.unitChain(params.initiatorUnitId) }
  const separated = SEPARATED_KINDS.has(stage.kind ?? 'review')
  const parts = stage.assignees.map((spec) => resolveSpec(spec, separated, ctx))
  const inactive = parts.find((part) => part.inactive !== undefined)?.inactive
  if (inactive !== undefined) {
    return {
      ok: false,
      error: {
        code: 'inactive_assignee',
        stageId: stage.id,
        stageName: stage.name,
        userId: inactive,
        message: `环节“${stage.name}”指定的审批人已停用 (assignee ${inactive} is deactivated)`,
      },
    }
  }
  const users = [...new Set(parts.flatMap((part) => part.users))]
  const escalatedFrom = parts.find((part) => part.escalatedFrom !== undefined)?.escalatedFrom
  if (users.length > 0) {
    return { ok: true, stage: concrete(stage, users, escalatedFrom ? { escalatedFrom } : {}) }
  }
  if (parts.some((part) => part.droppedInitiator)) {
    return { ok: true, stage: concrete(stage, [], { skipped: 'initiator' }) }
  }
  return {
    ok: false,
    error: {
      code: 'no_assignee',
      stageId: stage.id,
      stageName: stage.name,
      message: `环节“${stage.name}”找不到审批人，请联系单位管理员 (no assignee for stage ${stage.id})`,
    },
  }
}
