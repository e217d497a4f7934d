/**
 * Fixtures of the approvals tests: a small org (省 → 办公厅 → 处室), a directory over it, and a
 * harness that submits actions through `judge` and records them with its outcome, as the relay does.
 */
import type { ApprovalDirectory } from '../../../shared/approvals/directory'
import type { Post } from '../../../shared/approvals/assigneeSpec'
import type { Delegation } from '../../../shared/approvals/delegation'
import { judge } from '../../../shared/approvals/judge'
import { reduce } from '../../../shared/approvals/reduce'
import type { ApprovalState } from '../../../shared/approvals/state'
import { stampAction } from '../../../shared/approvals/actions'
import type { ApprovalInstance, ConcreteStage } from '../../../shared/approvals/types'
import type { ActionDraft, RecordFields, RecordedAction } from '../../../shared/approvals/actions'
import type { Verdict } from '../../../shared/approvals/verdicts'

/** Units: prov ⊃ office ⊃ {sec1, sec2, legal}. */
export const PARENT: Record<string, string | undefined> = {
  prov: undefined,
  office: 'prov',
  sec1: 'office',
  sec2: 'office',
  legal: 'office',
}

export const POSTS: Record<string, Partial<Record<Post, string[]>>> = {
  sec1: { 科室负责人: ['head1'] },
  sec2: { 科室负责人: ['head2'] },
  legal: { 科室负责人: ['legalHead'] },
  office: { 分管领导: ['vice'], 主要领导: ['chief'] },
  prov: { 主要领导: ['governor'] },
}

export const ROLES: Record<string, Record<string, string[]>> = {
  office: { registrar: ['reg'], sealKeeper: ['sealer'], reviewer: ['rev1', 'rev2'] },
  sec1: { reviewer: ['clerk'] },
}

/** A directory over the fixture org; `inactive` users are deactivated. */
export function directory(
  inactive: ReadonlySet<string> = new Set(),
  successors: Record<string, string> = {},
): ApprovalDirectory {
  return {
    unitChain(unitId) {
      const chain: string[] = []
      for (let unit: string | undefined = unitId; unit !== undefined; unit = PARENT[unit]) {
        chain.push(unit)
      }
      return chain
    },
    postHolders: (unitId, post) => POSTS[unitId]?.[post] ?? [],
    roleHolders: (role, unitId) => ROLES[unitId]?.[role] ?? [],
    isActive: (userId) => !inactive.has(userId),
    successorOf: (userId) => successors[userId] ?? null,
  }
}

export const T0 = Date.parse('2026-12-07T02:00:00.000Z')
export const DIGEST = 'a'.repeat(64)
export const DIGEST2 = 'b'.repeat(64)

/** A concrete instance from stage shorthands. */
export function instanceOf(
  stages: (Partial<ConcreteStage> & Pick<ConcreteStage, 'id' | 'assignees'>)[],
  extra: Partial<ApprovalInstance> = {},
): ApprovalInstance {
  return {
    id: 'ap-1',
    initiatorId: 'clerk',
    initiatorUnitId: 'sec1',
    createdAt: new Date(T0).toISOString(),
    subject: { type: 'document', documentId: 'doc-1' },
    cc: ['ccUser'],
    ...extra,
    stages: stages.map((stage) => ({
      name: stage.id,
      kind: 'review',
      mode: 'sequential',
      ...stage,
    })),
  }
}

/** A draft, optionally with its own nonce; approve/signoff/reopen get a digest when they have none. */
type Candidate = ActionDraft & { readonly nonce?: string }

/** Drives an approval like the relay: judge, then record with the verdict's outcome. */
export class Harness {
  readonly actions: RecordedAction[] = []
  delegations: Delegation[] = []
  private clock = T0
  private seq = 0

  constructor(readonly instance: ApprovalInstance) {}

  now(): string {
    return new Date(this.clock).toISOString()
  }

  /** Judges and, when accepted, records an action by `actorId`. */
  act(actorId: string, candidate: Candidate, record: Partial<RecordFields> = {}): Verdict {
    this.clock += 60_000
    this.seq += 1
    const { nonce, ...draft } = candidate
    const digest = draft.type === 'approve' || draft.type === 'signoff' || draft.type === 'reopen'
    const action = stampAction(
      digest && draft.contentDigest === undefined ? { ...draft, contentDigest: DIGEST } : draft,
      {
        approvalId: this.instance.id,
        nonce: nonce ?? `nonce-${String(this.seq).padStart(4, '0')}`,
        createdAt: this.now(),
      },
    )
    const verdict = judge(this.instance, this.actions, action, actorId, {
      now: this.now(),
      delegations: this.delegations,
    })
    if (verdict.ok) {
      this.actions.push({
        ...action,
        ...record,
        id: `act-${this.seq}`,
        actorId,
        outcome: verdict.outcome,
      })
    }
    return verdict
  }

  /** Acts and expects it applied. */
  ok(actorId: string, candidate: Candidate, record: Partial<RecordFields> = {}): this {
    const verdict = this.act(actorId, candidate, record)
    if (!verdict.ok || verdict.outcome !== 'applied') {
      throw new Error(
        `${actorId} ${candidate.type}@${candidate.stageId}: ${JSON.stringify(verdict)}`,
      )
    }
    return this
  }

  state(): ApprovalState {
    return reduce(this.instance, this.actions)
  }
}

/** @returns the verdict's code, or its outcome when accepted. */
export function codeOf(verdict: Verdict): string {
  return verdict.ok ? verdict.outcome : verdict.code
}
