/**
 * The web client as the relay serves it (server/http/webClient.ts): files of the built client with
 * their caching and security headers, the pre-compressed twin a browser accepts, the SPA shell for
 * the client's own routes, JSON 404s for the API and missing assets, and nothing outside the root.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'

const SHELL = '<!doctype html><title>齐鲁办公</title><div id="app"></div>'
const SCRIPT = 'console.log("qilu")\n'.repeat(50)
let relay: TestRelay
let root: string

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-web-'))
  root = path.join(dir, 'web')
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(root, 'index.html'), SHELL)
  fs.writeFileSync(path.join(root, 'sw.js'), 'self.skipWaiting()\n')
  fs.writeFileSync(path.join(root, 'assets', 'app-3f9a.js'), SCRIPT)
  fs.writeFileSync(path.join(root, 'assets', 'app-3f9a.js.br'), zlib.brotliCompressSync(SCRIPT))
  fs.writeFileSync(path.join(root, '.env'), 'SECRET=1')
  // Beside the root, not in it.
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'outside the web root')
  relay = await startTestRelay({ webRoot: root })
})

afterAll(async () => {
  await relay.close()
  fs.rmSync(path.dirname(root), { recursive: true, force: true })
})

/** A request with the path exactly as given (fetch would normalise `..`). */
function raw(
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { hostname, port } = new URL(relay.url)
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, method, path: target, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      )
    })
    request.on('error', reject)
    request.end()
  })
}

describe('the built web client, served by the relay', () => {
  test('the shell at / with its CSP, always revalidated', async () => {
    const shell = await raw('GET', '/')
    expect(shell.status).toBe(200)
    expect(shell.body.toString()).toBe(SHELL)
    expect(shell.headers['content-security-policy']).toContain("script-src 'self'")
    expect(shell.headers['x-content-type-options']).toBe('nosniff')
    expect(shell.headers['cache-control']).toBe('no-cache')
    const worker = await raw('GET', '/sw.js')
    expect(worker.status).toBe(200)
    expect(worker.headers['cache-control']).toBe('no-cache')
  })

  test('a hashed asset is immutable, sent as its brotli twin to a browser that takes br', async () => {
    const plain = await raw('GET', '/assets/app-3f9a.js')
    expect(plain.status).toBe(200)
    expect(plain.body.toString()).toBe(SCRIPT)
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(plain.headers['content-encoding']).toBeUndefined()
    const br = await raw('GET', '/assets/app-3f9a.js', { 'accept-encoding': 'gzip, br' })
    expect(br.status).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(SCRIPT)
    const head = await raw('HEAD', '/assets/app-3f9a.js')
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
  })

  test("the client's own routes get the shell; the API and missing assets a JSON 404", async () => {
    for (const route of ['/documents/7d1c', '/approvals?tab=todo', '/admin/units']) {
      const page = await raw('GET', route)
      expect(page.status, route).toBe(200)
      expect(page.body.toString(), route).toBe(SHELL)
      expect(page.headers['cache-control'], route).toBe('no-cache')
    }
    for (const route of ['/api/v1/nothing-here', '/assets/missing-1a2b.js']) {
      const missing = await raw('GET', route)
      expect(missing.status, route).toBe(404)
      expect(JSON.parse(missing.body.toString()), route).toMatchObject({
        error: { code: 'not_found' },
      })
    }
  })

  test('nothing outside the root, and no dotfile, is ever sent', async () => {
    for (const target of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/.env',
      '/assets/%2e%2e/.env',
    ]) {
      const answer = await raw('GET', target)
      expect(answer.body.toString(), target).not.toContain('outside the web root')
      expect(answer.body.toString(), target).not.toContain('SECRET')
    }
  })
})
