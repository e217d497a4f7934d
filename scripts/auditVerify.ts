/**
 * `npm run audit:verify`: walks the audit hash chain of the configured store (QILU_DATA_DIR or
 * QILU_DATABASE_URL) and reports every altered, removed or reordered entry by id. Exit code 1 when
 * the chain is broken, 2 when the store cannot be read.
 */
import { loadConfig } from '../server/config'
import { openDatabase } from '../server/storage/database'
import { KyselyStorage } from '../server/storage/Storage'
import { AuditService } from '../server/audit/AuditService'
import { createLogger } from '../server/logger'

const PROBLEM_TEXT = {
  altered: '内容被篡改 (content altered)',
  removed: '之前的条目被删除 (entries before it were removed)',
  relinked: '链接断裂：条目被删除、插入或调换顺序 (chain broken: removed, inserted or reordered)',
} as const

async function main(): Promise<number> {
  const config = loadConfig()
  const storage = new KyselyStorage(openDatabase(config))
  try {
    const report = await new AuditService(storage.audit, createLogger({ quiet: true })).verify()
    if (report.ok) {
      process.stdout.write(`审计日志完整：已校验 ${report.checked} 条 (audit log intact: ${report.checked} entries)\n`)
      return 0
    }
    process.stdout.write(`审计日志校验失败 (audit log verification FAILED): ${report.problems.length} problem(s)\n`)
    for (const problem of report.problems) {
      process.stdout.write(`  id ${problem.id}: ${PROBLEM_TEXT[problem.problem]}\n`)
    }
    return 1
  } finally {
    await storage.close()
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`无法读取审计日志 (cannot read the audit log): ${String(error)}\n`)
    process.exit(2)
  },
)
