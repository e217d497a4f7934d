// Applies the 16 MB bench document in slices (as a cold load does) and reports GC pauses and the
// event loop's delay: run under different V8 flags, pinned to one core.
import * as Y from 'yjs'
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks'
import { bigDocument } from '../bench/scale/documents'
import { sliceUpdate } from '../server/policy/sliceUpdate'
import { applyInTurns as applyA } from '../server/storage/roomlog/applyInTurns'
const gcf = (globalThis as { gc?: (o?: unknown) => void }).gc
const MINOR = process.env.MINOR === '1'
async function applyInTurns(doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown) {
  if (!MINOR) return applyA(doc, updates, origin)
  let turnStarted = performance.now()
  for (const update of updates) {
    if (performance.now() - turnStarted >= 8) {
      gcf?.({ type: 'minor', execution: 'sync' })
      await new Promise((r) => setImmediate(r))
      turnStarted = performance.now()
    }
    Y.transact(doc, (transaction) => {
      Y.applyUpdate(doc, update, origin)
      transaction.beforeState = Y.decodeStateVector(Y.encodeStateVector(doc))
    }, origin)
  }
}

const { update } = bigDocument(16_000_000)
const { slices } = sliceUpdate(update, new Map())
const pauses: { kind: number; ms: number }[] = []
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) pauses.push({ kind: (e.detail as { kind: number }).kind, ms: e.duration })
})
obs.observe({ entryTypes: ['gc'] })
// A ticker standing in for another room: how late is it?
let maxLate = 0
let expected = performance.now() + 5
const tick = setInterval(() => {
  const now = performance.now()
  maxLate = Math.max(maxLate, now - expected)
  expected = now + 5
}, 5)
const h = monitorEventLoopDelay({ resolution: 1 })
h.enable()
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const doc = new Y.Doc()
await applyInTurns(doc, slices, 'load')
const wall = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
clearInterval(tick)
h.disable()
await new Promise((r) => setTimeout(r, 50))
pauses.sort((a, b) => b.ms - a.ms)
const byKind = new Map<number, { n: number; total: number }>()
for (const p of pauses) { const k = byKind.get(p.kind) ?? { n: 0, total: 0 }; k.n++; k.total += p.ms; byKind.set(p.kind, k) }
console.log(JSON.stringify({
  flags: process.execArgv.filter((a) => a.startsWith('--') && !a.includes('import') && !a.includes('loader')).join(' '),
  slices: slices.length, wallMs: Math.round(wall), cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  maxLateMs: Math.round(maxLate), loopDelayMax: Math.round(h.max / 1e6), p99: Math.round(h.percentile(99) / 1e6),
  top: pauses.slice(0, 5).map((p) => `${p.kind}:${Math.round(p.ms)}`).join(' '),
  kinds: Object.fromEntries([...byKind].map(([k, v]) => [k, `${v.n}×, ${Math.round(v.total)} ms`])),
}))
