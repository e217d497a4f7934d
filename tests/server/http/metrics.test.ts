/** `/metrics`: the Prometheus text format, counters that move with real editing, for allowed addresses only. */
import { createRequire } from 'node:module'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { connect, synced, text, waitFor } from '../../utils/yclient'
import { addressAllowList } from '../../../server/http/metricsRoute'
import { startRelay } from '../../../server/app'

interface Family {
  readonly name: string
  readonly type: string
  readonly metrics: readonly { value?: string; labels?: Record<string, string> }[]
}

// A CommonJS package without types: the parser of the Prometheus text format.
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => Family[]

let relay: TestRelay

beforeAll(async () => {
  relay = await startTestRelay()
})

afterAll(async () => {
  await relay.close()
})

let lastText = ''

async function scrape(): Promise<Map<string, Family>> {
  const response = await fetch(`${relay.url}/metrics`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/plain')
  lastText = await response.text()
  return new Map(parsePrometheus(lastText).map((family) => [family.name, family]))
}

function total(families: Map<string, Family>, name: string): number {
  return (families.get(name)?.metrics ?? []).reduce(
    (sum, metric) => sum + Number(metric.value ?? 0),
    0,
  )
}

test('the metrics parse as Prometheus text, and the counters move when a client edits', async () => {
  const before = await scrape()
  for (const name of [
    'qilu_connections',
    'qilu_rooms_loaded',
    'qilu_document_updates_total',
    'qilu_bytes_in_total',
    'qilu_connections_closed_total',
    'qilu_persistence_queue_depth',
    'qilu_http_request_duration_seconds',
    'qilu_nodejs_eventloop_lag_seconds',
    'qilu_nodejs_heap_size_used_bytes',
  ]) {
    expect(before.has(name), name).toBe(true)
  }
  const admin = await adminClient(relay)
  const owner = await admin.createUser('metrics', '度量')
  const documentId = await owner.api.createDocument('指标')
  const a = connect(relay.wsUrl, `doc:${documentId}`, owner.token)
  const b = connect(relay.wsUrl, `doc:${documentId}`, owner.token)
  await Promise.all([synced(a), synced(b)])
  a.doc.getText('text').insert(0, '齐鲁办公')
  await waitFor(() => text(b) === '齐鲁办公', 'the edit to arrive')
  const during = await scrape()
  expect(total(during, 'qilu_connections')).toBe(2)
  expect(total(during, 'qilu_rooms_loaded')).toBeGreaterThanOrEqual(1)
  expect(total(during, 'qilu_document_updates_total')).toBeGreaterThan(
    total(before, 'qilu_document_updates_total'),
  )
  expect(total(during, 'qilu_update_bytes_out_total')).toBeGreaterThan(0)
  expect(total(during, 'qilu_bytes_in_total')).toBeGreaterThan(total(before, 'qilu_bytes_in_total'))
  // (The parser keeps no labels of histogram series; read the route label from the text.)
  expect(lastText).toMatch(
    /qilu_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/documents"[^}]*\} [1-9]/,
  )
  a.destroy()
  b.destroy()
  await waitFor(() => relay.relay.connectionCount === 0, 'the sockets to close')
  const after = await scrape()
  expect(total(after, 'qilu_connections_closed_total')).toBeGreaterThanOrEqual(2)
})

test('only the configured addresses may read the metrics', () => {
  const allowed = addressAllowList(['127.0.0.1', '::1', '10.8.0.0/16'])
  expect(allowed('127.0.0.1')).toBe(true)
  expect(allowed('::ffff:127.0.0.1')).toBe(true)
  expect(allowed('::1')).toBe(true)
  expect(allowed('10.8.3.4')).toBe(true)
  expect(allowed('10.9.0.1')).toBe(false)
  expect(allowed('192.168.1.5')).toBe(false)
  expect(() => addressAllowList(['not-an-address'])).toThrow(/QILU_METRICS_ALLOW/)
})

test('an address outside the list gets 403', async () => {
  // Loopback is the only way in here: allow nothing but an unrelated subnet.
  const denied = await startRelay({ ...relay.config, port: 0, metricsAllow: ['10.1.0.0/16'] })
  try {
    const response = await fetch(`${denied.url}/metrics`)
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } })
  } finally {
    await denied.close()
  }
})
