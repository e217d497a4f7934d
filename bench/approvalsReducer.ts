/**
 * Cost of the approvals engine on a long list: `reduce` over 200 recorded actions (target ≤ 1 ms)
 * and `judge` of a 201st, as the relay runs it per action. The list is a 公文 chain with a 30-way
 * 会签, a comment per countersigner, withdrawals (each one replays the list), 或签 approvals that are
 * superseded, and returns to the drafter with resubmits — every action judged and recorded as the
 * relay would.
 *
 *   npx tsx bench/approvalsReducer.ts
 */
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'
import { judge } from '../shared/approvals/judge'
import { reduce } from '../shared/approvals/reduce'
import { stampAction } from '../shared/approvals/actions'
import type { ApprovalInstance } from '../shared/approvals/types'
import type { ActionDraft, RecordedAction } from '../shared/approvals/actions'
import { print, markdownTable } from './lib/report'
import { summarize } from './lib/stats'

const ACTIONS = 200
const RUNS = 5000
const DIGEST = 'c'.repeat(64)
const SIGNERS = Array.from({ length: 30 }, (_, i) => `cs${i}`)

const instance: ApprovalInstance = {
  id: 'bench',
  initiatorId: 'drafter',
  initiatorUnitId: 'sec',
  createdAt: '2026-12-07T00:00:00.000Z',
  subject: { type: 'document', documentId: 'doc' },
  cc: [],
  stages: [
    { id: 'review', name: '核稿', kind: 'review', mode: 'any', assignees: ['head', 'deputy'] },
    { id: 'countersign', name: '会签', kind: 'countersign', mode: 'all', assignees: SIGNERS },
    { id: 'signoff', name: '签发', kind: 'signoff', mode: 'sequential', assignees: ['chief'] },
    { id: 'number', name: '编号', kind: 'number', mode: 'any', assignees: ['reg'] },
    { id: 'seal', name: '用印', kind: 'seal', mode: 'any', assignees: ['reg', 'reg2'] },
  ],
}

type Step = [actor: string, action: ActionDraft]

function* script(withdrawals: boolean): Generator<Step> {
  for (let round = 0; ; round++) {
    yield ['drafter', { type: round === 0 ? 'submit' : 'resubmit', stageId: 'start' }]
    yield ['head', { type: 'approve', stageId: 'review', contentDigest: DIGEST }]
    yield ['deputy', { type: 'approve', stageId: 'review', contentDigest: DIGEST }] // superseded
    for (const [i, signer] of SIGNERS.entries()) {
      yield [signer, { type: 'comment', stageId: 'countersign', opinion: `第${i + 1}条意见` }]
      yield [signer, { type: 'approve', stageId: 'countersign', contentDigest: DIGEST }]
      if (withdrawals && i % 10 === 9) {
        yield [signer, { type: 'withdraw', stageId: 'countersign' }]
        yield [
          signer,
          { type: 'approve', stageId: 'countersign', contentDigest: DIGEST, opinion: '同意' },
        ]
      }
    }
    yield ['drafter', { type: 'urge', stageId: 'signoff' }]
    yield [
      'chief',
      { type: 'return', stageId: 'signoff', target: { stageId: 'start' }, opinion: '请修改' },
    ]
  }
}

function buildList(withdrawals: boolean): RecordedAction[] {
  const actions: RecordedAction[] = []
  let clock = Date.parse(instance.createdAt)
  for (const [actorId, step] of script(withdrawals)) {
    if (actions.length >= ACTIONS + 1) {
      break
    }
    clock += 60_000
    const createdAt = new Date(clock).toISOString()
    const action = stampAction(step, {
      approvalId: instance.id,
      nonce: `nonce-${actions.length}`,
      createdAt,
    })
    const verdict = judge(instance, actions, action, actorId, { now: createdAt })
    if (!verdict.ok) {
      throw new Error(`script step refused: ${actorId} ${step.type}: ${verdict.reason}`)
    }
    actions.push({ ...action, id: `a${actions.length}`, actorId, outcome: verdict.outcome })
  }
  return actions
}

interface Operation {
  readonly name: string
  readonly work: () => void
  /** Wall time of each run. */
  readonly wall: number[]
  /**
   * The main thread's CPU time per run, averaged over batches (the thread clock ticks in
   * milliseconds): what the work costs, leaving out most of the time the OS ran other processes.
   */
  readonly cpu: number[]
}

const BATCH = 100

/** Times the operations round-robin, so a burst of load on the shared machine hits them all alike. */
function measure(operations: readonly Operation[]): void {
  for (const operation of operations) {
    for (let i = 0; i < 500; i++) {
      operation.work()
    }
  }
  for (let i = 0; i < RUNS; i++) {
    for (const operation of operations) {
      const start = performance.now()
      operation.work()
      operation.wall.push(performance.now() - start)
    }
  }
  for (let batch = 0; batch < RUNS / BATCH; batch++) {
    for (const operation of operations) {
      const before = process.threadCpuUsage()
      for (let i = 0; i < BATCH; i++) {
        operation.work()
      }
      const used = process.threadCpuUsage(before)
      operation.cpu.push((used.user + used.system) / 1000 / BATCH)
    }
  }
}

const fixed = (value: number) => `${value.toFixed(3)} ms`

/** Runs the benchmark and prints its Markdown section. */
export function runApprovalsReducerBench(): void {
  const operations: Operation[] = []
  const reduces: Operation[] = []
  let summary = ''
  for (const withdrawals of [true, false]) {
    const all = buildList(withdrawals)
    const list = all.slice(0, ACTIONS)
    const next = all[ACTIONS]
    if (next === undefined) {
      throw new Error('script too short')
    }
    const state = reduce(instance, list)
    if (state.anomalies.length > 0) {
      throw new Error('the scripted list has anomalies')
    }
    const effects = new Map<string, number>()
    for (const action of state.actions) {
      effects.set(action.effect, (effects.get(action.effect) ?? 0) + 1)
    }
    const label = withdrawals ? 'with withdrawals' : 'no withdrawals'
    summary += `${label}: ${[...effects].map(([effect, n]) => `${n} ${effect}`).join(', ')}; `
    const reduceOp: Operation = {
      name: `reduce, ${ACTIONS} actions, ${label}`,
      work: () => reduce(instance, list),
      wall: [],
      cpu: [],
    }
    reduces.push(reduceOp)
    operations.push(reduceOp, {
      name: `judge action ${ACTIONS + 1}, ${label}`,
      work: () => judge(instance, list, next, next.actorId, { now: next.createdAt }),
      wall: [],
      cpu: [],
    })
  }
  measure(operations)
  const met = reduces.every((operation) => {
    const wall = summarize(operation.wall)
    return wall.p50 <= 1 && (wall.p99 <= 1 || summarize(operation.cpu).p99 <= 1)
  })
  print()
  print(`## Approvals reducer (${ACTIONS} actions)`)
  print()
  print(
    `A 公文 chain with a ${SIGNERS.length}-way 会签, comments, superseded 或签 approvals, returns and resubmits (${summary.trim()} ` +
      `${RUNS} timed runs of each operation, round-robin, after 500 warm-up runs: wall time per run, and the main thread's ` +
      `CPU time per run over ${RUNS / BATCH} batches, which leaves out most of the time the OS gave other processes.`,
  )
  print()
  print(
    markdownTable(
      ['operation', 'median', 'p99', 'max', `CPU median (${BATCH}-run batches)`, 'CPU p99'],
      operations.map((operation) => {
        const wall = summarize(operation.wall)
        const cpu = summarize(operation.cpu)
        return [
          operation.name,
          fixed(wall.p50),
          fixed(wall.p99),
          fixed(wall.max),
          fixed(cpu.p50),
          fixed(cpu.p99),
        ]
      }),
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  )
  print()
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  print(
    `Target reduce ≤ 1 ms (median, and p99 of wall or CPU time): ${met ? 'met' : 'NOT met'}. Load average ${load}.`,
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runApprovalsReducerBench()
}
