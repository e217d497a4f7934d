/**
 * Chromium CPU profiles through CDP (Profiler domain) around a piece of the benchmark, summarised
 * by self time per function and by total (inclusive) time of chosen entry points. The page is
 * built unminified, so the names are the renderer's and its libraries' own.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: readonly number[]
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly startTime: number
  readonly endTime: number
  readonly samples?: readonly number[]
  readonly timeDeltas?: readonly number[]
}

/** One line of a profile summary. */
export interface ProfileLine {
  readonly name: string
  readonly ms: number
  readonly share: number
}

/** A summarised profile. */
export interface ProfileSummary {
  readonly file: string
  readonly totalMs: number
  /** Sampled time that was not idle. */
  readonly busyMs: number
  /** Functions by self time, largest first. */
  readonly self: readonly ProfileLine[]
  /** Functions by inclusive time (each counted once per sample), largest first. */
  readonly inclusive: readonly ProfileLine[]
}

function isCpuProfile(value: unknown): value is CpuProfile {
  return (
    typeof value === 'object' && value !== null && 'nodes' in value && Array.isArray(value.nodes)
  )
}

function label(node: ProfileNode): string {
  const { functionName, lineNumber, url } = node.callFrame
  if (url === '') {
    return functionName === '' ? '(anonymous)' : functionName
  }
  return `${functionName === '' ? '(anonymous)' : functionName} :${lineNumber + 1}`
}

/** Profiles `work` in `page` and writes the profile to `file`. @returns the summary */
export async function profilePage(
  page: Page,
  file: string,
  work: () => Promise<void>,
  top = 25,
): Promise<ProfileSummary> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 })
  await cdp.send('Profiler.start')
  try {
    await work()
  } finally {
    const { profile } = await cdp.send('Profiler.stop')
    await cdp.detach()
    await fs.mkdir(path.dirname(file), { recursive: true })
    await fs.writeFile(file, JSON.stringify(profile))
  }
  const profile: unknown = JSON.parse(await fs.readFile(file, 'utf8'))
  if (!isCpuProfile(profile)) {
    throw new Error('CDP returned no CPU profile')
  }
  return summarize(profile, file, top)
}

function summarize(profile: CpuProfile, file: string, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id)
    }
  }
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let busy = 0
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    // Each sample's time is the delta to the next sample.
    const ms = (deltas[i + 1] ?? 0) / 1000
    const node = byId.get(samples[i] ?? -1)
    if (node === undefined) {
      continue
    }
    const name = label(node)
    self.set(name, (self.get(name) ?? 0) + ms)
    if (name !== '(idle)') {
      busy += ms
    }
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const ancestor = byId.get(id)
      if (ancestor === undefined) {
        break
      }
      const ancestorName = label(ancestor)
      if (!seen.has(ancestorName)) {
        seen.add(ancestorName)
        inclusive.set(ancestorName, (inclusive.get(ancestorName) ?? 0) + ms)
      }
    }
  }
  const lines = (map: Map<string, number>): ProfileLine[] =>
    [...map.entries()]
      .filter(([name]) => name !== '(idle)' && name !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: busy > 0 ? ms / busy : 0 }))
  return {
    file,
    totalMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busy,
    self: lines(self),
    inclusive: lines(inclusive),
  }
}
