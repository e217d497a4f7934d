/** Prints the scale benchmark as Markdown: one table, a column per server, ratios to the reference. */
import { count, markdownTable, ms, print } from '../lib/report'
import type { ScaleReport, ServerResults } from './index'
import { printNodes } from './nodes'

type Figure = (server: ServerResults) => number | undefined

interface Row {
  readonly label: string
  readonly figure: Figure
  readonly format: (value: number) => string
}

const mb = (value: number): string => `${(value / 2 ** 20).toFixed(1)} MB`
const kb = (value: number): string => `${(value / 1024).toFixed(1)} kB`
const us = (value: number): string => `${value.toFixed(0)} µs`
const perSecond = (value: number): string => `${count(Math.round(value))}/s`

function rows(report: ScaleReport): Row[] {
  const o = report.options
  const f = o.fanout
  const list: Row[] = [
    { label: 'idle memory, no sockets (RSS)', figure: (s) => s.start?.idleRss, format: mb },
    { label: 'restart to ready (median)', figure: (s) => s.start?.readyMs, format: ms },
    { label: 'restart: CPU until ready', figure: (s) => s.start?.readyCpuMs, format: ms },
    { label: 'first start to ready', figure: (s) => s.start?.firstReadyMs, format: ms },
    {
      label: `connect ${count(f.clients)} clients in ${f.rooms} rooms`,
      figure: (s) => s.fanout?.connectMs,
      format: ms,
    },
    {
      label: 'memory per idle connection',
      figure: (s) => s.fanout?.bytesPerConnection,
      format: kb,
    },
    { label: `fan-out at ${f.rate}/s: p50`, figure: (s) => s.fanout?.latency.p50, format: ms },
    { label: `fan-out at ${f.rate}/s: p99`, figure: (s) => s.fanout?.latency.p99, format: ms },
    {
      label: 'fan-out: server CPU per update',
      figure: (s) => s.fanout?.cpuPerUpdateUs,
      format: us,
    },
    {
      label: `saturation (p99 ≤ ${o.saturation.p99LimitMs} ms, all delivered)`,
      figure: (s) => s.saturation?.rate,
      format: perSecond,
    },
    {
      // What a whole core would carry at the CPU per update of the top rate kept: the search's
      // verdict depends on the latency others' load adds, this on the server's own work.
      label: 'saturation: one core ÷ server CPU per update at the top rate kept',
      figure: (s) => {
        const top = [...(s.saturation?.steps ?? [])]
          .reverse()
          .find((step) => step.rate === s.saturation?.rate)
        return top === undefined ? undefined : 1e6 / top.serverCpuUs
      },
      format: perSecond,
    },
    {
      label: `hot room, ${o.hot.editors} editors at ${o.hot.rate}/s: p50`,
      figure: (s) => s.hot?.latency.p50,
      format: ms,
    },
    { label: 'hot room: p99', figure: (s) => s.hot?.latency.p99, format: ms },
    { label: 'hot room: server CPU per update', figure: (s) => s.hot?.cpuPerUpdateUs, format: us },
    {
      label: `kill -9 storm, ${count(f.rooms * Math.max(2, Math.round(f.clients / f.rooms)))} clients: all resynced`,
      figure: (s) => s.storm?.resyncMs,
      format: ms,
    },
  ]
  for (const [i, bytes] of o.cold.sizes.entries()) {
    const size = bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} kB`
    list.push(
      { label: `cold load ${size}`, figure: (s) => s.cold?.[i]?.loadMs, format: ms },
      {
        label: `cold load ${size}: other room's max latency`,
        figure: (s) => s.cold?.[i]?.duringMax,
        format: ms,
      },
    )
  }
  return list
}

function cell(row: Row, server: ServerResults, reference: ServerResults | undefined): string {
  const value = row.figure(server)
  if (value === undefined || !Number.isFinite(value)) {
    return '—'
  }
  const base = reference === undefined || reference === server ? undefined : row.figure(reference)
  const ratio =
    base === undefined || !Number.isFinite(base) || base === 0
      ? ''
      : ` (${(value / base).toFixed(2)}×)`
  return `${row.format(value)}${ratio}`
}

/** Prints the report. */
export function printScale(report: ScaleReport): void {
  const o = report.options
  const reference = report.servers.find((s) => s.spec.name === 'reference')
  print()
  print('## Scale: our relay against the reference server, Hocuspocus and a raw ws broadcast')
  print()
  print(
    `Preset \`${o.preset}\`; ${report.pinned ? 'servers pinned to core 1, load generator to core 0 (taskset)' : 'unpinned (no taskset or one core)'}. ` +
      'Ratios in brackets are to the reference server. Only our relay authenticates (session ' +
      'tokens), checks permissions and persists (SQLite); the peers do none of it.',
  )
  print()
  const headers = ['', ...report.servers.map((s) => s.spec.label)]
  // Rows of scenarios left out of the run (every cell empty) are not printed.
  const measured = rows(report).filter((row) =>
    report.servers.some((server) => Number.isFinite(row.figure(server) ?? Number.NaN)),
  )
  const body = measured.map((row) => [
    row.label,
    ...report.servers.map((server) => cell(row, server, reference)),
  ])
  body.push([
    'auth / permissions / persistence',
    ...report.servers.map((s) => (s.spec.guarded ? 'yes / yes / yes' : 'none')),
  ])
  print(markdownTable(headers, body, ['left', ...report.servers.map(() => 'right' as const)]))
  print()
  for (const server of report.servers) {
    const notes: string[] = []
    if (server.error !== undefined) {
      notes.push(`failed: ${server.error}`)
    }
    if (server.fanout !== undefined && !server.fanout.converged) {
      notes.push('fan-out rooms did not converge')
    }
    if (server.fanout !== undefined) {
      const lost = server.fanout.deliveriesExpected - server.fanout.latency.count
      notes.push(
        `fan-out ${count(server.fanout.updates)} updates, ${count(lost)} deliveries missing, server CPU ` +
          `${(server.fanout.serverCpu * 100).toFixed(0)} %, client ELU ${server.fanout.clientElu.toFixed(2)}`,
      )
    }
    if (server.saturation !== undefined) {
      const steps = server.saturation.steps
        .map(
          (s) =>
            `${s.rate.toFixed(0)}/s p99 ${ms(s.p99)} (server ${s.serverCpuUs.toFixed(0)} µs, ` +
            `client ${s.clientCpuUs.toFixed(0)} µs CPU/update)`,
        )
        .join(', ')
      notes.push(`saturation limited by ${server.saturation.limitedBy}: ${steps}`)
    }
    if (server.storm !== undefined) {
      notes.push(
        `storm: restart ${ms(server.storm.restartMs)}, ${server.storm.pending} clients not resynced`,
      )
    }
    if (server.start !== undefined) {
      notes.push(
        `starts: ${server.start.readySamples.map((r) => ms(r)).join(', ')}; idle RSS ` +
          server.start.rssSamples.map(mb).join(', '),
      )
    }
    print(`- **${server.spec.label}:** ${notes.join('; ')}.`)
  }
  for (const server of report.servers) {
    if (server.nodes !== undefined) {
      printNodes(server.nodes, report.pinned)
    }
  }
}
