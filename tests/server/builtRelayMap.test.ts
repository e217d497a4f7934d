/**
 * The built relay's bundle and source map (scripts/buildServer.mjs, issue 23): the bundle is ASCII
 * (V8 keeps it as one-byte text), and its map names the relay's own TypeScript lines, only those:
 * a position in a bundled package maps to nothing rather than to the own code before it.
 */
import fs from 'node:fs'
import { SourceMap } from 'node:module'
import { describe, expect, test } from 'vitest'
import { compiledEntry } from '../utils/compiledServer'

describe('the built relay', () => {
  test('is ASCII, and its source map maps own code to server/*.ts and packages to nothing', async () => {
    const main = await compiledEntry('main')
    const code = fs.readFileSync(main, 'utf8')
    // eslint-disable-next-line no-control-regex
    expect(code).not.toMatch(/[^\x00-\x7f]/)
    const payload = JSON.parse(fs.readFileSync(`${main}.map`, 'utf8')) as {
      sources: string[]
      sourcesContent?: unknown
    }
    expect(payload.sourcesContent).toBeUndefined()
    expect(payload.sources.filter((source) => source.includes('node_modules'))).toEqual([])
    const map = new SourceMap(payload as never)
    const lines = code.split('\n')
    /** @returns where the first occurrence of `needle` in the bundle maps to. */
    const origin = (needle: string): { originalSource?: string; originalLine?: number } => {
      const line = lines.findIndex((text) => text.includes(needle))
      expect(line, needle).toBeGreaterThanOrEqual(0)
      return map.findEntry(line, (lines[line] ?? '').indexOf(needle))
    }
    // The relay's own function: its file and line in server/app.ts.
    const own = origin('async function startRelay(')
    expect(own.originalSource).toMatch(/server\/app\.ts$/)
    const appLines = fs.readFileSync('server/app.ts', 'utf8').split('\n')
    expect(appLines[own.originalLine ?? -1]).toContain('export async function startRelay(')
    // A bundled package's code (Yjs's Doc class): no own file claims it.
    expect(origin('extends ObservableV2').originalSource ?? null).toBeNull()
  })
})
