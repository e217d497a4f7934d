/**
 * First load of the login page on a slow link, in real Chromium: the web client served as built
 * (precompressed brotli/gzip variants) against the same files served uncompressed, side by side in
 * one run. Each round opens a fresh browser profile (cold cache, no service worker) with the
 * network throttled through the DevTools protocol, and measures the time until the login form can
 * be used and the bytes that crossed the wire.
 *
 * `npm run bench -- firstload` (builds the web client first when out/renderer is missing).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import type { Browser } from 'playwright-core'
import { startRelay } from '../server/app'
import type { RunningRelay } from '../server/app'
import { createLogger } from '../server/logger'
import { launchBrowser } from '../tests/utils/browser'
import { loadConfig } from '../server/config'
import { markdownTable, ms, print, progress, ratio } from './lib/report'
import { percentile } from './lib/stats'

const ROOT = path.resolve(import.meta.dirname, '..')
const WEB_ROOT = path.join(ROOT, 'out/renderer')
const ROUNDS = Number(process.env.QILU_BENCH_ROUNDS ?? 5)

/** A slow county link: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip (DevTools "Fast 3G"). */
const LINK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
}

interface Sample {
  readonly readyMs: number
  readonly loadMs: number
  readonly bytes: number
}

function ensureBuilt(): void {
  if (fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
    return
  }
  progress('building the web client')
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  )
  if (result.status !== 0) {
    throw new Error('web client build failed')
  }
}

async function relayServing(precompressedAssets: boolean): Promise<RunningRelay> {
  return startRelay(
    {
      ...loadConfig({}),
      port: 0,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-bench-load-')),
      redisPrefix: 'qilu-bench',
      adminPassword: 'Qilu#Root2026',
      webRoot: WEB_ROOT,
      quiet: true,
    },
    { logger: createLogger({ quiet: true }), precompressedAssets },
  )
}

async function firstLoad(browser: Browser, baseUrl: string): Promise<Sample> {
  const context = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block' })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', LINK)
  let bytes = 0
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength
  })
  const started = performance.now()
  await page.goto(`${baseUrl}/login`, { waitUntil: 'load', timeout: 120_000 })
  const loadMs = performance.now() - started
  await page.locator('#login-username').waitFor({ state: 'visible', timeout: 120_000 })
  const readyMs = Math.max(loadMs, performance.now() - started)
  await context.close()
  return { readyMs, loadMs, bytes }
}

/** Runs the benchmark and prints its table. */
export async function runFirstLoadBench(): Promise<void> {
  ensureBuilt()
  const compressed = await relayServing(true)
  const plain = await relayServing(false)
  const browser = await launchBrowser()
  const samples = { compressed: [] as Sample[], plain: [] as Sample[] }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order, so neither side always runs on a warmer machine.
      const order =
        round % 2 === 0 ? (['plain', 'compressed'] as const) : (['compressed', 'plain'] as const)
      for (const side of order) {
        const sample = await firstLoad(browser, side === 'plain' ? plain.url : compressed.url)
        samples[side].push(sample)
        progress(
          `round ${round + 1} ${side}: ready ${ms(sample.readyMs)}, ${(sample.bytes / 1024).toFixed(0)} KiB`,
        )
      }
    }
  } finally {
    await browser.close()
    await compressed.close()
    await plain.close()
  }
  const median = (values: number[]): number =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    )
  const row = (name: string, list: Sample[]): string[] => [
    name,
    ms(median(list.map((s) => s.readyMs))),
    ms(median(list.map((s) => s.loadMs))),
    `${(median(list.map((s) => s.bytes)) / 1024).toFixed(0)} KiB`,
  ]
  print()
  print(`## First load of the login page on a slow link (${ROUNDS} rounds, cold profile each)`)
  print()
  print(
    `Link: ${LINK.latency} ms round trip, ${((LINK.downloadThroughput * 8) / 1024 / 1024).toFixed(1)} Mbit/s down (DevTools throttling).`,
  )
  print()
  print(
    markdownTable(
      ['served', 'login form usable (median)', 'load event (median)', 'bytes on the wire'],
      [
        row('uncompressed (before)', samples.plain),
        row('brotli precompressed (after)', samples.compressed),
      ],
      ['left', 'right', 'right', 'right'],
    ),
  )
  print()
  print(
    `After / before: ${ratio(median(samples.compressed.map((s) => s.readyMs)), median(samples.plain.map((s) => s.readyMs)))} of the time, ${ratio(median(samples.compressed.map((s) => s.bytes)), median(samples.plain.map((s) => s.bytes)))} of the bytes.`,
  )
}
