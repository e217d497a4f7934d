import { Session } from 'node:inspector/promises'
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import { ApiClient, USER_PASSWORD, adminClient, startTestRelay } from '../tests/utils/relay'
import BetterSqlite3 from 'better-sqlite3'
const counts = new Map<string, number>()
const proto = (BetterSqlite3 as any).prototype
const orig = proto.prepare
const times = new Map<string, number>()
proto.prepare = function (sql: string) {
  const st = orig.call(this, sql)
  for (const m of ['all', 'run', 'get']) {
    const f = st[m].bind(st)
    st[m] = (...a: unknown[]) => { const t = performance.now(); try { return f(...a) } finally { if (on) times.set(sql, (times.get(sql) ?? 0) + performance.now() - t); counts.set(sql, (counts.get(sql) ?? 0) + 1) } }
  }
  return st
}
let on = false
const HOUR = 3_600_000
const relay = await startTestRelay({ databaseUrl: process.env.PGURL ?? null })
const admin = await adminClient(relay)
const unit = await admin.request<{ id: string }>('POST', '/admin/units', { parentId: null, kind: 'province', name: '山东省', code: 'bench' })
await admin.request('POST', '/admin/users', { username: 'bench0', displayName: '人员0', unitId: unit.body.id, roles: ['unitadmin'], password: USER_PASSWORD, posts: [{ unitId: unit.body.id, title: '科员' }] })
const { api } = await new ApiClient(relay.url).login('bench0', USER_PASSWORD)
const rooms: string[] = []
for (let r = 0; r < 10; r += 1) rooms.push((await api.request<{ id: string }>('POST', '/meeting-rooms', { name: `会议室${r}`, unitId: unit.body.id, capacity: 20 })).body.id)
const base = Math.ceil(Date.now() / (7 * 24 * HOUR)) * 7 * 24 * HOUR + 14 * 24 * HOUR
async function burst(k: number, oneSlot: boolean): Promise<number[]> {
  const lat: number[] = []
  await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    const room = oneSlot ? rooms[0]! : rooms[i % 10]!
    const slot = oneSlot ? 0 : Math.floor(i / 10) % 10
    const t0 = performance.now()
    const a = await api.request('POST', '/meetings', { title: `抢订${i}`, start: new Date(base + k * 24 * HOUR + slot * HOUR).toISOString(), end: new Date(base + k * 24 * HOUR + (slot + 1) * HOUR).toISOString(), roomId: room, attendees: [], remindMinutes: [] })
    lat.push(performance.now() - t0)
    if (a.status !== 201 && a.status !== 409) throw new Error(String(a.status))
  }))
  return lat.sort((a, b) => a - b)
}
await burst(0, false)
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 200 }); await s.post('Profiler.start')
on = true; const c0 = process.cpuUsage(); const w0 = performance.now()
const l1 = await burst(1, false)
const c1 = process.cpuUsage(c0); console.log('cpu ms', (c1.user + c1.system) / 1000, 'wall', performance.now() - w0)
const l2 = await burst(2, true)
const { profile } = await s.post('Profiler.stop')
for (const path of ['/me', '/meeting-rooms']) {
  const lat: number[] = []
  const c0x = process.cpuUsage()
  await Promise.all(Array.from({ length: 200 }, async () => { const t0 = performance.now(); const a = await api.request('GET', path); lat.push(performance.now() - t0); if (a.status !== 200) throw new Error(path + a.status) }))
  const c1x = process.cpuUsage(c0x)
  lat.sort((a, b) => a - b)
  console.log('GET', path, 'p50', lat[100]?.toFixed(0), 'p99', lat[197]?.toFixed(0), 'cpu', ((c1x.user + c1x.system) / 1000).toFixed(0))
}
fs.writeFileSync('/tmp/prof/burst.cpuprofile', JSON.stringify(profile))
console.log('spread p50', l1[100]?.toFixed(0), 'p99', l1[197]?.toFixed(0), 'one', l2[100]?.toFixed(0), l2[197]?.toFixed(0))
proto.prepare = orig
console.log([...times].sort((a,b)=>b[1]-a[1]).map(([k,v])=>v.toFixed(1)+'ms '+counts.get(k)+' '+k.slice(0,200)).join('\n'))
await relay.close()
