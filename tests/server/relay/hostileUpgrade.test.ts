/**
 * A real relay process (`server/main.ts`, as `npm start` runs it) faced with upgrade requests that
 * used to end it: a malformed %-escape in the room and a request line with an invalid absolute URL.
 */
import { afterAll, describe, expect, test } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ADMIN_PASSWORD, ApiClient } from '../../utils/relay'
import { freePort, spawnRelay } from '../../utils/process'
import { rawHttp } from '../../utils/rawHttp'
import type { RelayProcess } from '../../utils/process'

const processes: RelayProcess[] = []
const dataDirs: string[] = []
const SECRET = 'SECRET_planted_token_0123456789abcdefghijk'

afterAll(() => {
  processes.forEach((p) => p.child.kill('SIGKILL'))
  dataDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }))
})

function upgrade(target: string): string {
  return [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    '',
    '',
  ].join('\r\n')
}

describe('a relay process and hostile upgrade requests', () => {
  test('a malformed room escape and an invalid absolute URL are refused, the process lives on and never logs the token', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-hostile-'))
    dataDirs.push(dataDir)
    const port = await freePort()
    const relay = await spawnRelay(
      {
        QILU_DATA_DIR: dataDir,
        QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
        QILU_WEB_ROOT: path.join(dataDir, 'no-client'),
      },
      port,
    )
    processes.push(relay)

    for (const target of [
      `/sync/doc:%E0%A4%A?token=${SECRET}`,
      `http://[zz/sync/x?token=${SECRET}`,
      `/sync/%?token=${SECRET}`,
      `http://127.0.0.1:${port}/sync/doc:%E0%A4%A?token=${SECRET}`,
    ]) {
      const line = await rawHttp(port, upgrade(target))
      expect(line, target).toMatch(/^HTTP\/1\.1 4\d\d /)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(relay.child.exitCode).toBeNull()
    expect((await fetch(`${relay.url}/api/v1/health`)).status).toBe(200)
    await new ApiClient(relay.url).login('admin', ADMIN_PASSWORD)
    expect(relay.output()).not.toContain(SECRET)

    relay.child.kill('SIGTERM')
    expect(await relay.exited).toBe(0)
  }, 60_000)
})
