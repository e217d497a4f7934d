/**
 * Verification of the audit log: the chain with the audit key, against the newest checkpoint
 * whose signature verifies with a trusted relay key (from the database's table and from checkpoint
 * files outside it).
 */
import type { AuditCheckpointRow, AuditStorage } from '../storage/AuditStore'
import { ChainVerifier, NEVER_KEYED } from './chain'
import type { ChainProblem } from './chain'
import { readCheckpointFile, verifyCheckpoint } from './checkpoint'
import type { Checkpoint } from './checkpoint'

/** What verification checks against. */
export interface VerifyInputs {
  /** The audit key; null when unknown (then a keyed chain cannot be verified). */
  readonly key: Uint8Array | null
  /** Public keys of the relay whose checkpoint signatures are trusted. */
  readonly trustedKeys: readonly string[]
  /** Checkpoint files to read besides the database's table; a missing file is a warning. */
  readonly files: readonly string[]
}

/** The checkpoint the chain was checked against. */
export interface CheckpointUsed {
  readonly count: number
  readonly at: string
  /** `database` or the file it was read from. */
  readonly source: string
}

/** The result of a verification. */
export interface VerifyReport {
  readonly ok: boolean
  readonly checked: number
  /** Problems in seq order; the first names the first affected entry. */
  readonly problems: readonly ChainProblem[]
  readonly checkpoint: CheckpointUsed | null
  /** What did not fail verification but deserves a look (no checkpoint, untrusted signer, …). */
  readonly warnings: readonly string[]
}

const PAGE = 5000
/** Checkpoints read from the table: the newest are all that is compared against. */
const TABLE_CHECKPOINTS = 20

function fromRow(row: AuditCheckpointRow): Checkpoint {
  return {
    count: Number(row.count),
    head: row.head_hash,
    keyedFrom: Number(row.keyed_from),
    at: new Date(Number(row.at)).toISOString(),
    publicKey: row.public_key,
    signature: row.signature,
  }
}

/** Walks the whole chain and compares it with the newest trusted checkpoint. */
export async function verifyAuditLog(
  store: AuditStorage,
  inputs: VerifyInputs,
): Promise<VerifyReport> {
  const warnings: string[] = []
  const problems: ChainProblem[] = []
  const candidates: { checkpoint: Checkpoint; source: string }[] = (
    await store.checkpoints(TABLE_CHECKPOINTS)
  ).map((row) => ({ checkpoint: fromRow(row), source: 'database' }))
  for (const file of inputs.files) {
    const read = readCheckpointFile(file)
    if (read === null) {
      warnings.push(`检查点文件不存在 (checkpoint file missing): ${file}`)
      continue
    }
    if (read.badLines.length > 0) {
      warnings.push(
        `检查点文件有无法解析的行 (unreadable lines) ${file}: ${read.badLines.join(', ')}`,
      )
    }
    candidates.push(...read.checkpoints.map((checkpoint) => ({ checkpoint, source: file })))
  }
  candidates.sort((a, b) => b.checkpoint.count - a.checkpoint.count)

  // The newest checkpoint that verifies is the anchor; every newer or equally new one must verify
  // too (a forged or altered one is itself tampering). Older ones are not checked: signatures cost.
  let used: { checkpoint: Checkpoint; source: string } | null = null
  const seen = new Set<string>()
  for (const candidate of candidates) {
    const { checkpoint } = candidate
    if (used !== null && checkpoint.count < used.checkpoint.count) {
      break
    }
    const id = `${checkpoint.count}/${checkpoint.head}/${checkpoint.keyedFrom}/${checkpoint.at}/${checkpoint.signature}`
    if (seen.has(id)) {
      continue
    }
    seen.add(id)
    if (!inputs.trustedKeys.includes(checkpoint.publicKey)) {
      warnings.push(
        `检查点 ${checkpoint.count} 的签名公钥不受信任，已忽略 (checkpoint signed by an untrusted key, ignored): ` +
          `${checkpoint.publicKey.slice(0, 18)}… in ${candidate.source}`,
      )
      continue
    }
    if (!verifyCheckpoint(checkpoint, checkpoint.publicKey)) {
      problems.push({ id: checkpoint.count, problem: 'bad_checkpoint' })
    } else if (used === null) {
      used = candidate
    } else if (
      used.checkpoint.head !== checkpoint.head ||
      used.checkpoint.keyedFrom !== checkpoint.keyedFrom
    ) {
      // Two validly signed checkpoints of one count disagree: the chain was forked or rewritten
      // between them, which the relay never does.
      problems.push({ id: checkpoint.count, problem: 'checkpoint_mismatch' })
    }
  }
  if (used === null) {
    warnings.push(
      '没有可用的已签名检查点：无法发现末尾条目被删除 (no signed checkpoint: truncation cannot be detected)',
    )
  }

  const keys = await store.keys()
  const recorded = keys[0] === undefined ? NEVER_KEYED : Number(keys[0].first_seq)
  let keyedFrom = recorded
  if (used !== null) {
    keyedFrom = used.checkpoint.keyedFrom
    if (recorded !== keyedFrom) {
      problems.push({ id: keyedFrom, problem: 'key_record' })
    }
  }

  const verifier = new ChainVerifier({
    key: inputs.key,
    keyedFrom,
    checkpoint: used === null ? null : { count: used.checkpoint.count, head: used.checkpoint.head },
  })
  let after = 0
  for (;;) {
    const rows = await store.page(after, PAGE)
    const last = rows.at(-1)
    if (last === undefined) {
      break
    }
    verifier.feed(rows)
    after = Number(last.seq)
  }
  verifier.finish()
  problems.push(...verifier.problems)
  problems.sort((a, b) => a.id - b.id)
  return {
    ok: problems.length === 0,
    checked: verifier.checked,
    problems,
    checkpoint:
      used === null
        ? null
        : { count: used.checkpoint.count, at: used.checkpoint.at, source: used.source },
    warnings,
  }
}
