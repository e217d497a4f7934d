/**
 * Runs the benchmark suite and prints a Markdown report: `npm run bench` (everything), or
 * `npm run bench -- fanout` / `npm run bench -- trace` / `npm run bench -- admin` / `npm run bench -- editor` / `npm run bench -- durable` / `npm run bench -- approvals` / `npm run bench -- firstload` / `npm run bench -- meetings` / `npm run bench -- scale` for one benchmark.
 * `npm run bench` without names leaves out `scale` (it runs for minutes at full scale; see bench/scale/options.ts).
 */
import os from 'node:os'
import { runAdminBench } from './admin'
import { printDurableAck, runDurableAckBench } from './durableAck'
import { runApprovalsReducerBench } from './approvalsReducer'
import { runApprovalsServerBench } from './approvalsServer'
import { runEditorBench } from './editor'
import { printEditor } from './editor/report'
import { runFanoutBench } from './fanout'
import { runFirstLoadBench } from './firstLoad'
import { runMeetingsBench } from './meetings'
import { printFanout } from './lib/fanoutReport'
import { runScaleBench } from './scale'
import { printScale } from './scale/report'
import { printTraceLoad, runTraceLoadBench } from './traceLoad'
import { print } from './lib/report'

const BENCHMARKS = {
  fanout: async () => printFanout(await runFanoutBench()),
  trace: async () => printTraceLoad(await runTraceLoadBench()),
  admin: runAdminBench,
  editor: async () => printEditor(await runEditorBench()),
  durable: async () => printDurableAck(await runDurableAckBench()),
  approvals: async () => {
    runApprovalsReducerBench()
    await runApprovalsServerBench()
  },
  firstload: runFirstLoadBench,
  meetings: runMeetingsBench,
  scale: async () => printScale(await runScaleBench()),
} as const

/** Run only when asked for by name. */
const ON_REQUEST: readonly string[] = ['scale']

type BenchmarkName = keyof typeof BENCHMARKS

function isBenchmarkName(name: string): name is BenchmarkName {
  return Object.hasOwn(BENCHMARKS, name)
}

const requested = process.argv.slice(2)
const unknown = requested.filter((name) => !isBenchmarkName(name))
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`,
  )
  process.exit(2)
}
const selected = requested.filter(isBenchmarkName)

const cpus = os.cpus()
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')
const command = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : 'tsx bench/index.ts'

print('# Qilu Desk benchmarks')
print()
print(`- date: ${new Date().toISOString()}`)
print(`- node: ${process.version} (${process.platform} ${process.arch})`)
print(`- machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, load average ${load}`)
print(`- command: ${[command, ...requested].join(' ')}`)

const started = Date.now()
const names =
  selected.length > 0
    ? selected
    : Object.keys(BENCHMARKS)
        .filter(isBenchmarkName)
        .filter((name) => !ON_REQUEST.includes(name))
for (const name of names) {
  await BENCHMARKS[name]()
}
print()
print(`Total time: ${((Date.now() - started) / 1000).toFixed(1)} s`)
