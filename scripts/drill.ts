/**
 * `npm run drill [-- --rounds 50] [--postgres]`: the kill -9 drill of "已保存 means saved".
 *
 * Each round starts the real relay (`server/main.ts`) as a child process (the first round), a
 * writer that types a numbered token every 10 ms and sends a save barrier after each, and a second
 * client that receives. At a random moment (0.2–1.5 s into the typing, right as a barrier answer
 * arrives, the narrowest window) the relay is killed with SIGKILL; then it is restarted and a fresh
 * client reads the document. Every token a barrier answer acknowledged must be there.
 *
 * Reports, per run: acknowledged tokens lost (must be 0), and for context tokens the other client
 * had received that were not stored (fan-out runs ahead of the disk; the writer still has those
 * and resends them when it reconnects). Exit code 1 when anything acknowledged was lost.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { ApiClient, ADMIN_PASSWORD, createTestDatabase } from '../tests/utils/relay'
import type { TestDatabase } from '../tests/utils/relay'
import { connect, synced } from '../tests/utils/yclient'
import type { Client } from '../tests/utils/yclient'
import { Barriers } from '../tests/utils/barrier'
import { freePort, spawnRelay } from '../tests/utils/process'
import type { RelayProcess } from '../tests/utils/process'

/** What to run. */
export interface DrillOptions {
  readonly rounds: number
  /** Run on a fresh PostgreSQL database instead of SQLite. */
  readonly postgres?: boolean
  /** Environment for the relay (e.g. to compare settings). */
  readonly env?: Record<string, string>
  /** Told after each round. */
  readonly onRound?: (round: RoundResult) => void
}

/** One round. */
export interface RoundResult {
  readonly round: number
  /** Tokens typed before the kill. */
  readonly typed: number
  /** Tokens a barrier answer acknowledged. */
  readonly acknowledged: number
  /** Acknowledged tokens missing after the restart (must be 0). */
  readonly lostAcknowledged: number
  /** Tokens the other client had received that the restarted relay does not hold. */
  readonly receivedNotStored: number
}

/** The whole drill. */
export interface DrillResult {
  readonly rounds: RoundResult[]
  readonly lostAcknowledged: number
  readonly roundsWithLoss: number
  readonly receivedNotStored: number
  readonly roundsReceivedNotStored: number
}

const TYPE_INTERVAL_MS = 10

function tokens(client: Client): Set<number> {
  const text = client.doc.getText('text').toString()
  return new Set(
    text
      .split(',')
      .filter((t) => t !== '')
      .map(Number),
  )
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Types until the kill; resolves with what was typed and acknowledged when the relay is dead. */
async function typeUntilKilled(
  writer: Client,
  relay: RelayProcess,
): Promise<{ typed: number; acknowledged: number }> {
  const barriers = new Barriers(writer)
  const text = writer.doc.getText('text')
  const killAfter = performance.now() + 200 + Math.random() * 1300
  let typed = 0
  let killed = false
  barriers.onAnswer(() => {
    if (!killed && performance.now() >= killAfter) {
      killed = true
      relay.child.kill('SIGKILL')
    }
  })
  const timer = setInterval(() => {
    if (killed) {
      return
    }
    text.insert(text.length, `${typed},`)
    barriers.send(typed)
    typed++
  }, TYPE_INTERVAL_MS)
  // A relay that never answers after the kill time is killed anyway (not expected).
  const fallback = setTimeout(() => {
    if (!killed) {
      killed = true
      relay.child.kill('SIGKILL')
    }
  }, 10_000)
  await relay.exited
  clearInterval(timer)
  clearTimeout(fallback)
  return { typed, acknowledged: barriers.acknowledged + 1 }
}

/** Runs the drill. */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-drill-'))
  const database: TestDatabase | null =
    options.postgres === true ? await createTestDatabase() : null
  const port = await freePort()
  const env: Record<string, string> = {
    QILU_DATA_DIR: dataDir,
    QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    QILU_QUIET: '1',
    QILU_WEB_ROOT: path.join(dataDir, 'no-client'),
    ...(database === null ? {} : { QILU_DATABASE_URL: database.url }),
    ...options.env,
  }
  const wsUrl = `ws://127.0.0.1:${port}/sync`
  const rounds: RoundResult[] = []
  let relay = await spawnRelay(env, port)
  try {
    const admin = (await new ApiClient(relay.url).login('admin', ADMIN_PASSWORD)).api
    const writer = await admin.createUser('drill-writer', '演练写手')
    const reader = await admin.createUser('drill-reader', '演练读者')
    for (let round = 1; round <= options.rounds; round++) {
      const documentId = await writer.api.createDocument(`演练 ${round}`)
      await writer.api.share(documentId, reader.userId, 'reader')
      const room = `doc:${documentId}`
      const typist = connect(wsUrl, room, writer.token)
      const receiver = connect(wsUrl, room, reader.token)
      await Promise.all([synced(typist), synced(receiver)])
      const { typed, acknowledged } = await typeUntilKilled(typist, relay)
      const received = tokens(receiver)
      // Gone before the restart: a connected writer would resend what the relay lost.
      typist.destroy()
      receiver.destroy()
      relay = await spawnRelay(env, port)
      const check = connect(wsUrl, room, reader.token)
      await synced(check, 15_000)
      const stored = tokens(check)
      check.destroy()
      let lostAcknowledged = 0
      for (let i = 0; i < acknowledged; i++) {
        if (!stored.has(i)) {
          lostAcknowledged++
        }
      }
      const receivedNotStored = [...received].filter((t) => !stored.has(t)).length
      const result = { round, typed, acknowledged, lostAcknowledged, receivedNotStored }
      rounds.push(result)
      options.onRound?.(result)
      await sleep(20)
    }
  } finally {
    relay.child.kill('SIGTERM')
    await Promise.race([relay.exited, sleep(10_000)])
    relay.child.kill('SIGKILL')
    await database?.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  return {
    rounds,
    lostAcknowledged: rounds.reduce((sum, r) => sum + r.lostAcknowledged, 0),
    roundsWithLoss: rounds.filter((r) => r.lostAcknowledged > 0).length,
    receivedNotStored: rounds.reduce((sum, r) => sum + r.receivedNotStored, 0),
    roundsReceivedNotStored: rounds.filter((r) => r.receivedNotStored > 0).length,
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '50' },
      postgres: { type: 'boolean', default: false },
    },
  })
  const rounds = Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error('--rounds must be a positive integer')
  }
  const out = (line: string): boolean => process.stdout.write(`${line}\n`)
  out(`kill -9 drill: ${rounds} rounds on ${values.postgres ? 'PostgreSQL' : 'SQLite'}`)
  const result = await runDrill({
    rounds,
    postgres: values.postgres,
    onRound: (r) =>
      out(
        `round ${String(r.round).padStart(2)}: typed ${r.typed}, acknowledged ${r.acknowledged}, ` +
          `lost acknowledged ${r.lostAcknowledged}, received but not stored ${r.receivedNotStored}`,
      ),
  })
  out(
    `lost acknowledged updates: ${result.lostAcknowledged} (in ${result.roundsWithLoss} of ${rounds} rounds)`,
  )
  out(
    `received by the other client but not stored: ${result.receivedNotStored} ` +
      `(in ${result.roundsReceivedNotStored} of ${rounds} rounds; the writer resends those)`,
  )
  return result.lostAcknowledged === 0 ? 0 : 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `drill failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      )
      process.exit(2)
    },
  )
}
