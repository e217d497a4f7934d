// @vitest-environment node
/**
 * The renderer reaches the relay's HTTP API only by route declarations (call/upload/download of
 * renderer/src/api/call.ts with a route of shared/http/routes): the lint rule that refuses path
 * strings, fetch and the client's raw methods elsewhere holds for every file of renderer/src, and
 * it does catch each way around it.
 */
import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, test } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
// Only the rule under test runs (the full lint is npm run lint).
const eslint = new ESLint({
  cwd: root,
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-syntax',
})

/** @returns the no-restricted-syntax findings of `code` as if it were the file `file`. */
async function findings(code: string, file: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return result?.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length ?? -1
}

describe('HTTP outside renderer/src/api', () => {
  test('no file of renderer/src writes an API path, fetches, or uses the raw client', async () => {
    const results = await eslint.lintFiles(['renderer/src/**/*.ts', 'renderer/src/**/*.vue'])
    const offending = results.flatMap((result) =>
      result.messages
        .filter((m) => m.ruleId === 'no-restricted-syntax')
        .map((m) => `${path.relative(root, result.filePath)}:${m.line} ${m.message}`),
    )
    expect(results.length).toBeGreaterThan(100)
    expect(offending).toEqual([])
  }, 120_000)

  test.each([
    ["const url = '/api/v1/documents'", 'a path literal'],
    ['const url = (id: string) => `/api/v1/documents/${id}`', 'a path template'],
    ['const url = `${origin}/api/v1/units`; declare const origin: string', 'an absolute URL'],
    ["void fetch('https://relay.example/anything')", 'fetch'],
    ["void window.fetch('x')", 'window.fetch'],
    ["import { api } from '../../../api/client'\nvoid api.download", 'the raw client'],
  ])('is refused: %s (%s)', async (code) => {
    expect(await findings(code, 'renderer/src/features/documents/sample.ts')).toBeGreaterThan(0)
    expect(
      await findings(
        `<script setup lang="ts">\n${code}\n</script>\n`,
        'renderer/src/features/documents/Sample.vue',
      ),
    ).toBeGreaterThan(0)
  })

  test('is allowed inside renderer/src/api, and client routes of the app are not API paths', async () => {
    expect(await findings("void fetch('/api/v1/health')", 'renderer/src/api/sample.ts')).toBe(0)
    expect(
      await findings("const to = '/documents/x'", 'renderer/src/features/documents/sample.ts'),
    ).toBe(0)
  })
})
