import Database from 'better-sqlite3'
const stats = new Map<string, { n: number; ms: number }>()
let on = false
const proto = Database.prototype as unknown as { prepare: (sql: string) => unknown }
const prep = proto.prepare
proto.prepare = function (this: unknown, sql: string) {
  const st = prep.call(this, sql) as Record<string, (...a: unknown[]) => unknown>
  for (const m of ['all', 'get', 'run', 'iterate']) {
    const f = st[m]!
    st[m] = function (this: unknown, ...a: unknown[]) {
      const t = performance.now()
      try { return f.apply(this, a) } finally {
        if (on) { const k = sql.replace(/\s+/g, ' ').slice(0, 120); const s = stats.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += performance.now() - t; stats.set(k, s) }
      }
    }
  }
  return st
}
;(globalThis as { __sqlOn?: (v: boolean) => void }).__sqlOn = (v) => { on = v }
;(globalThis as { __sqlDump?: () => void }).__sqlDump = () => {
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)
  for (const [k, s] of rows) process.stdout.write(`${s.ms.toFixed(1).padStart(8)} ms ${String(s.n).padStart(5)}× ${k}\n`)
  stats.clear()
}
const { runMeetingsBench } = await import('../bench/meetings')
await runMeetingsBench()
