/**
 * `npm run verify -- <evidence file> [--relay-key <hex>]`: checks an approval's evidence file
 * (GET /api/v1/approvals/<id>/evidence) offline — the relay's signature over it, each action's SM2
 * signature by its device key, each digest against the content it covers, and that the list keeps
 * the rules (shared/approvals/evidence.ts). Names each action, or the relay-signed part, that fails.
 * Exit code 0 when everything holds, 1 when something fails, 2 when the file cannot be read.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { verifyEvidence } from '../shared/approvals/evidence'

function main(): number {
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { 'relay-key': { type: 'string' } },
    })
  } catch (error) {
    process.stderr.write(`参数无效 (bad arguments): ${String(error)}\n`)
    return 2
  }
  const file = parsed.positionals[0]
  if (file === undefined || parsed.positionals.length > 1) {
    process.stderr.write('用法 (usage): npm run verify -- <evidence.json> [--relay-key <hex>]\n')
    return 2
  }
  let input: unknown
  try {
    input = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    process.stderr.write(`无法读取证据文件 (cannot read the evidence file): ${String(error)}\n`)
    return 2
  }
  const report = verifyEvidence(input, parsed.values['relay-key'])
  if (report.ok) {
    process.stdout.write(`验证通过 (verified): ${report.actions} actions\n`)
    return 0
  }
  process.stdout.write(`验证失败 (verification failed): ${report.failures.length} problem(s)\n`)
  for (const failure of report.failures) {
    process.stdout.write(`  ✗ ${failure}\n`)
  }
  return 1
}

process.exitCode = main()
