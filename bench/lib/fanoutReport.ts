/** Prints the fan-out benchmark's results as Markdown. */
import type { FanoutReport, FanoutServerResult } from '../fanout'
import { SLOW_STORAGE_MS } from '../fanout'
import { MACHINE_STALL_MS } from './StallSentinel'
import { COMPACT_AFTER } from './provision'
import { count, markdownTable, ms, print, ratio } from './report'

function percent(share: number | null): string {
  return share === null ? 'n/a' : `${Math.round(share * 100)} %`
}

function delivery(r: FanoutServerResult): string {
  const complete = r.latency.count === r.deliveriesExpected
  return `${count(r.latency.count)}${complete ? '' : ` of ${count(r.deliveriesExpected)}`}`
}

/** Prints the fan-out tables. */
export function printFanout(report: FanoutReport): void {
  const { options, ours, reference } = report
  print(
    `\n## Update fan-out: ${options.rooms * options.clientsPerRoom} clients in ${options.rooms} ` +
      `rooms (${options.clientsPerRoom} per room), one update per room every ${options.intervalMs} ms, ` +
      `${options.rounds} × ${options.roundMs / 1000} s per server\n`,
  )
  const row = (r: FanoutServerResult, name: string): string[] => [
    name,
    ms(r.latency.p50),
    ms(r.latency.p99),
    ms(r.latency.max),
    ms(r.medianRoundP99),
    `${ms(r.quiet.p99)} (${r.quietRounds})`,
    delivery(r),
    percent(r.serverCpu),
    r.clientElu.toFixed(2),
  ]
  const cpuRatio =
    ours.serverCpu === null || reference.serverCpu === null
      ? 'n/a'
      : ratio(ours.serverCpu, reference.serverCpu)
  print(
    markdownTable(
      [
        'server',
        'p50',
        'p99',
        'max',
        'p99, median of rounds',
        'p99, quiet rounds (n)',
        'deliveries',
        'server CPU',
        'client ELU',
      ],
      [
        row(ours, 'ours (auth + ACL + SQLite log)'),
        row(reference, 'reference (y-websocket 2.1.0)'),
        [
          '**ratio ours / reference**',
          ratio(ours.latency.p50, reference.latency.p50),
          ratio(ours.latency.p99, reference.latency.p99),
          ratio(ours.latency.max, reference.latency.max),
          ratio(ours.medianRoundP99, reference.medianRoundP99),
          ratio(ours.quiet.p99, reference.quiet.p99),
          '',
          cpuRatio,
          '',
        ],
      ],
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  )
  print()
  const pairs = ours.rounds.map((o, i) => [o, reference.rounds[i]] as const)
  const oursLower = pairs.filter(([o, r]) => r !== undefined && o.latency.p99 < r.latency.p99)
  print(
    `Ours had the lower p99 in ${oursLower.length} of ${pairs.length} pairs of adjacent rounds. ` +
      `Disconnects: ${ours.disconnects} (ours), ${reference.disconnects} (reference). ` +
      `Every room's clients converged: ${ours.converged && reference.converged ? 'yes' : 'NO'}.`,
  )
  const { logWrites, compactions, slowStorage } = report
  print(
    `Our relay's update-log calls during its rounds (SQLite, in the room log's worker thread; ` +
      `round trips, which do not block the relay's event loop): ${count(logWrites.count)} log ` +
      `writes (RoomLog.append, one per flush), p50 ` +
      `${ms(logWrites.p50)}, p99 ${ms(logWrites.p99)}, max ${ms(logWrites.max)}; ` +
      `${compactions.count} compactions (read the log, merge it, write the snapshot), p50 ` +
      `${ms(compactions.p50)}, max ${ms(compactions.max)}. ` +
      `${slowStorage.calls} calls took longer than ${SLOW_STORAGE_MS} ms (${ms(slowStorage.totalMs)} ` +
      `in all).`,
  )
  print()
  print(
    markdownTable(
      [
        'pair',
        'ours p50 / p99',
        'reference p50 / p99',
        'ours: compactions, slowest log write / compaction, longest GC pause',
        'idle sentinel delay ours / reference',
      ],
      pairs.map(([o, r], i) => [
        String(i + 1),
        `${ms(o.latency.p50)} / ${ms(o.latency.p99)}`,
        r === undefined ? '' : `${ms(r.latency.p50)} / ${ms(r.latency.p99)}`,
        `${o.storage.compactions.length}, ${ms(Math.max(0, ...o.storage.writes))} / ` +
          `${o.storage.compactions.length === 0 ? '–' : ms(Math.max(...o.storage.compactions))}, ` +
          `${ms(o.serverGcMaxMs ?? Number.NaN)}`,
        `${ms(o.machineStallMs)} / ${r === undefined ? '' : ms(r.machineStallMs)}`,
      ]),
      ['right', 'right', 'right', 'right', 'right'],
    ),
  )
  print()
  print(
    `Latency: the sender's local insert → each of the other ${options.clientsPerRoom - 1} clients' ` +
      `document has it (its 'update' event). p50 / p99 / max pool all rounds. Quiet rounds: those ` +
      `in which an idle sentinel thread was never delayed by more than ${MACHINE_STALL_MS} ms (a ` +
      `longer delay is the machine, not a server). Server CPU: the server's main thread, as a share ` +
      `of one core. Client ELU: the highest event-loop utilisation of the client thread in a round. ` +
      `Before the run, room r was given r × ${COMPACT_AFTER / options.rooms} logged rows, so ` +
      `compactions (every ${COMPACT_AFTER} rows) fall due one room after another, at the ` +
      `steady-state rate.`,
  )
}
