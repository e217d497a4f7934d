import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { scanCapture } from '../utils/logScan'
import { createLogger } from '../../server/logger'

test('the end-of-run scan finds a secret that reached a log file, and none in a scrubbed one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-scan-'))
  try {
    fs.writeFileSync(path.join(dir, 'secrets-1.txt'), 'Qilu#2026pass\nABCDE-FGHJK-LMNPQ-RSTUV\n')
    const clean = createLogger({ quiet: true, capture: path.join(dir, 'relay-1.log') })
    clean.info('upgrade', { url: '/sync/doc:1?token=live-token-value', password: 'Qilu#2026pass' })
    clean.warn('login failed', {
      body: { username: 'a', activationCode: 'ABCDE-FGHJK-LMNPQ-RSTUV' },
    })
    expect(scanCapture(dir)).toEqual([])
    fs.appendFileSync(
      path.join(dir, 'relay-2.log'),
      '{"message":"oops","detail":"Qilu#2026pass"}\n',
    )
    fs.appendFileSync(path.join(dir, 'relay-2.log'), '{"message":"GET /sync/x?token=abc123"}\n')
    expect(scanCapture(dir)).toHaveLength(2)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
