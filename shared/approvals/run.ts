/**
 * The mutable working state of one fold over an approval's actions (internal to reduce/judge):
 * stages as ordered steps of places, the current position, and what each applied action did.
 * A stage's steps come from its mode: `sequential` is one step per assignee, `all` one all-of
 * step, `any` one any-of step; transfers, reassignments and added signers edit the steps.
 */
import type { ApprovalInstance, ApprovalStatus } from './types'
import type { RecordedAction } from './actions'
import type { StageStatus } from './state'
import type { ConcreteStage } from './types'

/** A step: users who act together. */
export interface StepRun {
  users: string[]
  need: 'all' | 'any'
  consented: Set<string>
}

/** A stage being folded. */
export interface StageRun {
  readonly def: ConcreteStage
  readonly index: number
  status: StageStatus
  steps: StepRun[]
  /** The first step not yet complete. */
  step: number
  /** Places handed on (transfer, reassign): kept when a return rebuilds the stage. */
  readonly subs: Map<string, string>
  /** Indices of this round's consents. */
  consents: number[]
  activatedAt?: string
  completedAt?: string
  /** A number stage keeps its 发文字号 once assigned, through returns and re-opens. */
  numbered: boolean
  reopened: boolean
  lastUrgedAt?: string
}

/** Where a decision was taken: for the parallel exception of the withdraw rule. */
export interface PlaceRef {
  readonly stage: number
  readonly step: number
}

/** The working state. */
export interface Run {
  readonly instance: ApprovalInstance
  readonly actions: readonly RecordedAction[]
  readonly stages: StageRun[]
  readonly stageIndex: ReadonlyMap<string, number>
  /** Index of the current stage, `start` while the initiator holds it, null once finished. */
  current: number | 'start' | null
  status: ApprovalStatus
  submitted: boolean
  documentNumber?: string
  reopen: { stage: number; action: number; stale: readonly number[] } | null
  readonly stale: Set<number>
  readonly places: Map<number, PlaceRef>
  /** Indices applied so far, in order (withdrawn ones included). */
  readonly applied: number[]
  readonly withdrawn: Set<number>
  readonly nonces: Set<string>
  finishedAt?: string
}

/** @returns who an action counts for: the leader when a deputy acted (代). */
export function effectiveActor(action: RecordedAction): string {
  return action.onBehalfOf ?? action.actorId
}

/** @returns when an action happened for deadlines: server receipt, else the device's time. */
export function actionTime(action: RecordedAction): string {
  return action.receivedAt ?? action.createdAt
}

function follow(subs: ReadonlyMap<string, string>, user: string): string {
  let current = user
  // Bounded: a cycle of hand-overs (a → b → a) must not hang the fold.
  for (let hops = 0; hops < 32; hops++) {
    const next = subs.get(current)
    if (next === undefined) {
      return current
    }
    current = next
  }
  return current
}

/** Builds a stage's steps from users (its assignees, or the original signers on a re-open). */
export function buildSteps(stage: StageRun, users?: readonly string[]): StepRun[] {
  const base = [...new Set((users ?? stage.def.assignees).map((user) => follow(stage.subs, user)))]
  if (base.length === 0) {
    return []
  }
  const mode = users === undefined ? stage.def.mode : 'all'
  if (mode === 'sequential') {
    return base.map((user) => ({ users: [user], need: 'all', consented: new Set() }))
  }
  return [{ users: base, need: mode === 'any' ? 'any' : 'all', consented: new Set() }]
}

/** @returns a fresh run: nothing submitted, the initiator holds it. */
export function initRun(instance: ApprovalInstance, actions: readonly RecordedAction[]): Run {
  const stages = instance.stages.map((def, index): StageRun => {
    const stage: StageRun = {
      def,
      index,
      status: def.skipped === undefined ? 'waiting' : 'skipped',
      steps: [],
      step: 0,
      subs: new Map(),
      consents: [],
      numbered: false,
      reopened: false,
    }
    stage.steps = buildSteps(stage)
    return stage
  })
  return {
    instance,
    actions,
    stages,
    stageIndex: new Map(instance.stages.map((stage, index) => [stage.id, index])),
    current: 'start',
    status: 'running',
    submitted: false,
    reopen: null,
    stale: new Set(),
    places: new Map(),
    applied: [],
    withdrawn: new Set(),
    nonces: new Set(),
  }
}

/** Resets stages from `from` on for a new round (a numbered number stage keeps its number). */
export function resetFrom(run: Run, from: number): void {
  for (const stage of run.stages.slice(from)) {
    if (stage.numbered) {
      continue
    }
    stage.status = stage.def.skipped === undefined ? 'waiting' : 'skipped'
    stage.steps = buildSteps(stage)
    stage.step = 0
    stage.consents = []
    stage.activatedAt = undefined
    stage.completedAt = undefined
    stage.reopened = false
  }
}

function stepComplete(step: StepRun): boolean {
  if (step.users.length === 0) {
    return true
  }
  if (step.need === 'any') {
    return step.consented.size > 0
  }
  // Only holders consent, so fewer consents than holders means someone is still open.
  return (
    step.consented.size >= step.users.length && step.users.every((user) => step.consented.has(user))
  )
}

function stageComplete(stage: StageRun): boolean {
  if (stage.def.kind === 'number') {
    return stage.numbered
  }
  while (stage.step < stage.steps.length) {
    const step = stage.steps[stage.step]
    if (step === undefined || !stepComplete(step)) {
      return false
    }
    stage.step++
  }
  return true
}

/** Moves the flow on from the current stage as far as completed and skipped stages allow. */
export function advance(run: Run, at: string): void {
  while (typeof run.current === 'number') {
    const stage = run.stages[run.current]
    if (stage === undefined) {
      run.status = 'approved'
      run.current = null
      run.finishedAt = at
      return
    }
    if (stage.status === 'waiting') {
      stage.status = 'active'
      stage.activatedAt = at
    }
    if (stage.status === 'active') {
      if (!stageComplete(stage)) {
        return
      }
      stage.status = 'done'
      stage.completedAt = at
      if (run.reopen?.stage === stage.index) {
        run.reopen = null
      }
    }
    run.current += 1
  }
}

/** @returns the index of the step holding an open (not yet consented) place of `user`, or -1. */
export function openStepOf(stage: StageRun, user: string): number {
  return stage.steps.findIndex((step) => step.users.includes(user) && !step.consented.has(user))
}

/** @returns whether the user holds any place in the stage now (open or consented). */
export function holdsPlace(stage: StageRun, user: string): boolean {
  return stage.steps.some((step) => step.users.includes(user))
}
