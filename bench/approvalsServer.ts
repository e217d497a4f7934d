/**
 * The approvals server under load, on SQLite and PostgreSQL: signed actions over HTTP at a fixed
 * rate above 1,000 a minute for 60 s (open loop: requests are sent on schedule whether or not the
 * previous ones have answered), each judged in the §7 order with SM2 verified on the worker pool,
 * recorded with its 待办 rows and audit entry, and projected into the approval and inbox rooms;
 * then a 待办 list of a user with 10,000 items. Targets: action p99 ≤ 100 ms, list p99 ≤ 50 ms.
 *
 *   npm run bench -- approvals
 *   APPROVALS_BENCH_SECONDS=20 npx tsx bench/approvalsServer.ts   (shorter)
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { actionSigningBytes, reduce } from '../shared/approvals'
import type { ApprovalAction, ApprovalInstance } from '../shared/approvals'
import { generateSm2KeyPair, sm2Sign } from '../shared/crypto/sm2'
import type { Sm2KeyPair } from '../shared/crypto/sm2'
import { builtinCatalog } from '../server/approvals/builtinSetup'
import type { ApprovalSetup, DeviceRecord } from '../server/approvals/ports'
import { participantsOf, summaryOf, todoRowsOf } from '../server/approvals/projection'
import {
  ApiClient,
  USER_PASSWORD,
  adminClient,
  createTestDatabase,
  startTestRelay,
} from '../tests/utils/relay'
import type { TestRelay } from '../tests/utils/relay'
import { markdownTable, ms, print, progress } from './lib/report'
import { summarize } from './lib/stats'
import type { LatencySummary } from './lib/stats'

const SECONDS = Number(process.env.APPROVALS_BENCH_SECONDS ?? 60)
/** Actions a second: 20 = 1,200 a minute. */
const RATE = Number(process.env.APPROVALS_BENCH_RATE ?? 20)
const TODO_ITEMS = 10_000
const LIST_REQUESTS = 300

interface Device {
  readonly deviceId: string
  readonly keys: Sm2KeyPair
}

class BenchSetup implements ApprovalSetup {
  readonly rows = new Map<string, DeviceRecord>()
  readonly devices = { device: async (id: string) => this.rows.get(id) ?? null }
  readonly delegations = { givenTo: async () => [] }
  readonly catalog = builtinCatalog
  readonly agencyCodes = { agencyCodeOf: async () => '鲁政办发' }

  register(userId: string): Device {
    const keys = generateSm2KeyPair()
    const deviceId = `dev-${randomBytes(6).toString('hex')}`
    this.rows.set(deviceId, {
      id: deviceId,
      userId,
      label: 'bench',
      publicKey: keys.publicKey,
      createdAt: Date.now(),
      revokedAt: null,
    })
    return { deviceId, keys }
  }
}

interface Signed {
  readonly approvalId: string
  readonly api: ApiClient
  readonly body: { action: ApprovalAction; deviceId: string; signature: string }
}

function signed(api: ApiClient, device: Device, action: ApprovalAction): Signed {
  const signature = sm2Sign(
    actionSigningBytes(action),
    device.keys.privateKey,
    device.keys.publicKey,
  )
  return {
    approvalId: action.approvalId,
    api,
    body: { action, deviceId: device.deviceId, signature },
  }
}

function action(
  approvalId: string,
  type: ApprovalAction['type'],
  stageId: string,
  opinion?: string,
): ApprovalAction {
  return {
    approvalId,
    type,
    stageId,
    nonce: randomBytes(12).toString('base64url'),
    createdAt: new Date().toISOString(),
    ...(opinion !== undefined ? { opinion } : {}),
  } as ApprovalAction
}

async function org(relay: TestRelay, setup: BenchSetup) {
  const admin = await adminClient(relay)
  const unit = await admin.request<{ id: string }>('POST', '/admin/units', {
    parentId: null,
    kind: 'province',
    name: '办公厅',
    code: `b${Date.now()}`,
  })
  const person = async (username: string, post: string | null) => {
    const created = await admin.request<{ id: string }>('POST', '/admin/users', {
      username,
      displayName: username,
      password: USER_PASSWORD,
      unitId: unit.body.id,
      posts: post === null ? [] : [{ unitId: unit.body.id, title: post }],
    })
    if (created.status !== 201) throw new Error(`user ${username}: ${created.status}`)
    const login = await new ApiClient(admin.baseUrl).login(username, USER_PASSWORD)
    return { ...login, device: setup.register(login.userId) }
  }
  return {
    unitId: unit.body.id,
    drafter: await person('bench_drafter', null),
    head: await person('bench_head', '科室负责人'),
  }
}

/** Signed actions at RATE a second for SECONDS: latency of each. */
async function throughput(
  relay: TestRelay,
  setup: BenchSetup,
): Promise<{ summary: LatencySummary; errors: number; perMinute: number; cpuMs: number }> {
  const { drafter, head } = await org(relay, setup)
  const approvals = Math.ceil((RATE * SECONDS) / 3)
  progress(`  starting ${approvals} approvals and signing ${approvals * 3} actions`)
  const ids: string[] = []
  for (let i = 0; i < approvals; i++) {
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: {
        type: 'form',
        formId: 'leave',
        data: { leaveType: '事假', startDate: '2026-12-28', days: 1, reason: `事由${i}` },
      },
      flowId: 'leave',
    })
    if (started.status !== 201) throw new Error(`start: ${started.status}`)
    ids.push(started.body.id)
  }
  // Each approval: submit, a comment by the head, the head's approval (in this order, spread out).
  const waves: Signed[][] = [
    ids.map((id) => signed(drafter.api, drafter.device, action(id, 'submit', 'start'))),
    ids.map((id) => signed(head.api, head.device, action(id, 'comment', 'head', '已阅，稍后处理'))),
    ids.map((id) => signed(head.api, head.device, action(id, 'approve', 'head', '同意'))),
  ]
  const schedule = waves.flat()
  progress(`  sending ${schedule.length} actions at ${RATE}/s`)
  const latencies: number[] = []
  let errors = 0
  const cpu = process.cpuUsage()
  const begin = performance.now()
  const inFlight: Promise<void>[] = []
  for (const [index, item] of schedule.entries()) {
    const due = begin + (index * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    inFlight.push(
      (async () => {
        const sent = performance.now()
        const answer = await item.api.request(
          'POST',
          `/approvals/${item.approvalId}/actions`,
          item.body,
        )
        latencies.push(performance.now() - sent)
        if (answer.status !== 200) errors++
      })(),
    )
  }
  await Promise.all(inFlight)
  const elapsed = (performance.now() - begin) / 1000
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000 / schedule.length
  return {
    summary: summarize(latencies),
    errors,
    perMinute: (schedule.length / elapsed) * 60,
    cpuMs,
  }
}

/** A user with 10,000 待办 rows: GET /todos latency. */
async function todoList(relay: TestRelay, setup: BenchSetup): Promise<LatencySummary> {
  const admin = await adminClient(relay)
  const created = await admin.request<{ id: string }>('POST', '/admin/users', {
    username: 'bench_busy',
    displayName: '忙碌的处长',
    password: USER_PASSWORD,
  })
  const busy = await new ApiClient(admin.baseUrl).login('bench_busy', USER_PASSWORD)
  void created
  void setup
  progress(`  inserting ${TODO_ITEMS} 待办 rows`)
  const now = Date.now()
  for (let start = 0; start < TODO_ITEMS; start += 500) {
    await relay.storage.unitOfWork(async (uow) => {
      for (let i = start; i < Math.min(TODO_ITEMS, start + 500); i++) {
        const id = `bench${i}`
        const instance: ApprovalInstance = {
          id,
          initiatorId: busy.userId,
          initiatorUnitId: 'u',
          createdAt: new Date(now + i).toISOString(),
          subject: { type: 'form', formId: 'leave', data: {} },
          cc: [],
          stages: [
            {
              id: 'head',
              name: '审批',
              kind: 'review',
              mode: 'sequential',
              assignees: [busy.userId],
            },
          ],
        }
        const state = reduce(instance, [])
        await uow.approvals.insert({
          id,
          instance: JSON.stringify(instance),
          subject_type: 'form',
          document_id: null,
          form_id: 'leave',
          title: `请假申请${i}`,
          initiator_id: busy.userId,
          register_unit_id: 'u',
          version: 0,
          created_at: now + i,
          ...summaryOf(instance, state, now + i),
        })
        await uow.approvals.replaceTodos(
          id,
          todoRowsOf(instance, state, [], now + i),
          participantsOf(instance, state, []),
        )
      }
    })
  }
  const latencies: number[] = []
  for (let i = 0; i < LIST_REQUESTS; i++) {
    const box = (['pending', 'initiated', 'done', 'cc'] as const)[i % 4]
    const sent = performance.now()
    const answer = await busy.api.request<{ items: unknown[]; counts: { pending: number } }>(
      'GET',
      `/todos?box=${box}&limit=50`,
    )
    latencies.push(performance.now() - sent)
    if (answer.status !== 200 || answer.body.counts.pending !== TODO_ITEMS)
      throw new Error(`todos: ${answer.status}`)
  }
  return summarize(latencies)
}

/** Runs both parts on SQLite and PostgreSQL and prints the tables. */
export async function runApprovalsServerBench(): Promise<void> {
  print()
  print('## Approvals server: signed actions and the 待办 list')
  print()
  const rows: string[][] = []
  const lists: string[][] = []
  for (const dialect of ['sqlite', 'postgres'] as const) {
    progress(`approvals server on ${dialect}`)
    const database = dialect === 'postgres' ? await createTestDatabase() : null
    const setup = new BenchSetup()
    const relay = await startTestRelay({ approvalSetup: setup, databaseUrl: database?.url ?? null })
    try {
      const run = await throughput(relay, setup)
      rows.push([
        dialect,
        `${run.summary.count}`,
        `${Math.round(run.perMinute)}`,
        ms(run.summary.p50),
        ms(run.summary.p99),
        ms(run.summary.max),
        `${run.errors}`,
        ms(run.cpuMs),
      ])
      const list = await todoList(relay, setup)
      lists.push([dialect, `${list.count}`, ms(list.p50), ms(list.p99), ms(list.max)])
    } finally {
      await relay.close()
      await database?.drop()
    }
  }
  print(
    `Signed actions (submit, comment, approve of 请假 approvals), open loop at ${RATE}/s for ${SECONDS} s; CPU / action counts the main thread of the process (relay and load generator, not the SM2 workers):`,
  )
  print()
  print(
    markdownTable(
      ['store', 'actions', 'per minute', 'p50', 'p99', 'max', 'errors', 'CPU / action'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  )
  print()
  print(
    `GET /api/v1/todos?box=…&limit=50 (items and the four counts) of a user with ${TODO_ITEMS.toLocaleString('en')} pending items, ${LIST_REQUESTS} requests one after another:`,
  )
  print()
  print(
    markdownTable(['store', 'requests', 'p50', 'p99', 'max'], lists, [
      'left',
      'right',
      'right',
      'right',
      'right',
    ]),
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runApprovalsServerBench()
}
