/**
 * `npm run audit:verify [-- --checkpoints <file>]… [--public-key <hex>]…`: walks the audit chain of
 * the configured store (QILU_DATA_DIR or QILU_DATABASE_URL) with the audit key (QILU_AUDIT_KEY or
 * `<dataDir>/audit.key`), and compares it with the newest checkpoint signed by a trusted relay key
 * (QILU_RELAY_KEY or `<dataDir>/relay-sm2.key`/`.pub`, and each `--public-key`), read from the
 * database's table, the checkpoint file (QILU_AUDIT_CHECKPOINT_FILE or
 * `<dataDir>/audit-checkpoints.jsonl`) and each `--checkpoints` file.
 *
 * Reports every altered, removed or reordered entry, a chain cut short or rewritten before a
 * checkpoint, and forged checkpoints, by seq; the first line names the first affected entry.
 * Exit code 0 when intact, 1 when tampering is found, 2 when the store, the key or the arguments
 * cannot be read.
 */
import { parseArgs } from 'node:util'
import path from 'node:path'
import { auditCheckpointFile, loadConfig } from '../server/config'
import { openDatabase } from '../server/storage/database'
import { KyselyStorage } from '../server/storage/Storage'
import { AuditService } from '../server/audit/AuditService'
import type { ChainProblem } from '../server/audit/chain'
import { readAuditKey } from '../server/audit/auditKey'
import { readRelayPublicKey } from '../server/crypto/relayKey'
import { isSm2PublicKey } from '../server/crypto/sm2'
import { createLogger } from '../server/logger'

const PROBLEM_TEXT: Record<ChainProblem['problem'], string> = {
  altered: '内容被篡改或哈希被重算 (content altered, or hashes recomputed without the key)',
  removed: '之前的条目被删除 (entries before it were removed)',
  relinked: '链接断裂：条目被删除、插入或调换顺序 (chain broken: removed, inserted or reordered)',
  truncated:
    '此条及之后已签名检查点记录的条目被删除 (this and later entries a signed checkpoint counted were removed)',
  checkpoint_mismatch:
    '与已签名检查点的链头哈希不符 (differs from the head hash of a signed checkpoint)',
  bad_checkpoint:
    '此计数的检查点签名无效（伪造或被修改）(checkpoint signature invalid: forged or altered)',
  key_record: '数据库中记录的密钥起始位置被修改 (the record of where keying began was altered)',
}
const MAX_LINES = 50

async function main(): Promise<number> {
  const args = parseArgs({
    options: {
      checkpoints: { type: 'string', multiple: true, default: [] },
      'public-key': { type: 'string', multiple: true, default: [] },
    },
  }).values
  const config = loadConfig()
  const key = readAuditKey(config)
  const trustedKeys = args['public-key'].map((hex) => hex.toLowerCase())
  const badKey = trustedKeys.find((hex) => !isSm2PublicKey(hex))
  if (badKey !== undefined) {
    throw new Error(`--public-key is not an SM2 public key (04 + 128 hex digits): ${badKey}`)
  }
  const own = readRelayPublicKey(config)
  if (own !== null) {
    trustedKeys.push(own)
  }
  const files = [auditCheckpointFile(config), ...args.checkpoints.map((file) => path.resolve(file))]
  const storage = new KyselyStorage(openDatabase(config))
  try {
    const service = new AuditService(storage.audit, createLogger({ quiet: true }), {
      key,
      trustedKeys,
      checkpointFiles: files,
    })
    const report = await service.verify()
    for (const warning of report.warnings) {
      process.stdout.write(`注意 (warning): ${warning}\n`)
    }
    const anchor =
      report.checkpoint === null
        ? '无检查点 (no checkpoint)'
        : `检查点 ${report.checkpoint.count} @ ${report.checkpoint.at} (${report.checkpoint.source})`
    if (report.ok) {
      process.stdout.write(
        `审计日志完整：已校验 ${report.checked} 条，${anchor} (audit log intact: ${report.checked} entries)\n`,
      )
      return 0
    }
    const [first] = report.problems
    process.stdout.write(
      `审计日志校验失败 (audit log verification FAILED): ${report.problems.length} problem(s), ` +
        `${report.checked} entries checked, ${anchor}\n`,
    )
    if (first !== undefined) {
      process.stdout.write(`首个受影响条目 (first affected entry): seq ${first.id}\n`)
    }
    for (const problem of report.problems.slice(0, MAX_LINES)) {
      process.stdout.write(`  id ${problem.id}: ${PROBLEM_TEXT[problem.problem]}\n`)
    }
    if (report.problems.length > MAX_LINES) {
      process.stdout.write(`  … ${report.problems.length - MAX_LINES} more\n`)
    }
    return 1
  } finally {
    await storage.close()
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `无法校验审计日志 (cannot verify the audit log): ${error instanceof Error ? error.message : String(error)}\n`,
    )
    process.exit(2)
  },
)
