/**
 * The relay serves exactly the routes shared/http declares: every route in Fastify's route table
 * is declared (method and path), and every declared route is registered. The route table is read
 * with an `onRoute` hook added to each Fastify instance the relay creates.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Fastify from 'fastify'
import type { FastifyServerOptions } from 'fastify'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { allRoutes } from '../../../shared/http/routes'
import { startTestRelay } from '../../utils/relay'

/** One row of the route table. */
interface TableRow {
  readonly method: string
  readonly url: string
  /** Set by @fastify/static on its route of the web client's built files. */
  readonly staticFile: boolean
}

const seen = vi.hoisted(() => ({ rows: [] as TableRow[] }))

vi.mock('fastify', async (importOriginal) => {
  const real = await importOriginal<{ default: typeof Fastify }>()
  const withRouteTable = ((options?: FastifyServerOptions) => {
    const app = real.default(options)
    app.addHook('onRoute', (route) => {
      const hidden =
        typeof route.schema === 'object' && route.schema !== null && 'hide' in route.schema
      for (const method of [route.method].flat()) {
        seen.rows.push({ method, url: route.url, staticFile: hidden })
      }
    })
    return app
    // reason: the relay calls the factory with plain server options only; the wrapper keeps its type.
  }) as typeof Fastify
  return { ...real, default: withRouteTable }
})

const closers: (() => Promise<void>)[] = []

afterAll(async () => {
  for (const close of closers) {
    await close()
  }
})

/** @returns the route table of a relay started with `webRoot`, as `METHOD path` lines. */
async function routeTable(webRoot: string | null): Promise<TableRow[]> {
  seen.rows.length = 0
  const relay = await startTestRelay({ webRoot })
  closers.push(() => relay.close())
  const rows = [...seen.rows]
  // Fastify answers HEAD for every GET route by itself.
  const gets = new Set(rows.filter((r) => r.method === 'GET').map((r) => r.url))
  return rows.filter((r) => !(r.method === 'HEAD' && gets.has(r.url)))
}

const declared = allRoutes().map((route) => `${route.method} ${route.path}`)

describe('the route table', () => {
  test('lists every declared route once, and nothing else', async () => {
    const registered = (await routeTable(null)).map((r) => `${r.method} ${r.url}`)
    expect(new Set(declared).size).toBe(declared.length)
    expect([...registered].sort()).toEqual([...declared].sort())
  })

  test("with a built web client, adds one GET for the client's files, outside /api/", async () => {
    const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-web-'))
    closers.push(async () => fs.rmSync(webRoot, { recursive: true, force: true }))
    fs.mkdirSync(path.join(webRoot, 'assets'))
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>齐鲁办公</title>')
    fs.writeFileSync(path.join(webRoot, 'assets', 'index-abc123.js'), 'export {}')
    const rows = await routeTable(webRoot)
    const files = rows.filter((r) => r.staticFile)
    // One wildcard route, the files looked up on request (server/http/webClient.ts): a route per
    // file cost the start about 100 ms. Fastify's own routes (`/api/…`) win over it.
    expect(files.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /*'])
    const rest = rows.filter((r) => !r.staticFile).map((r) => `${r.method} ${r.url}`)
    expect(rest.sort()).toEqual(declared.filter((d) => d !== 'GET /').sort())
  })
})
