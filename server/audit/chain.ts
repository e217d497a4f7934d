/**
 * The audit hash chain. Each entry's hash is SM3 (GB/T 32905, through Node's OpenSSL) over the
 * previous entry's hash and the entry's canonical encoding, which includes its sequence number:
 * altering a row breaks its own hash, removing or reordering rows breaks the links.
 */
import { createHash } from 'node:crypto'
import type { AuditRow } from '../storage/AuditStore'

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** @returns the SM3 digest of `data`, hex. */
export function sm3(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex')
}

/** @returns the canonical encoding of an entry's content (everything but the hashes). */
export function canonicalEntry(row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  return JSON.stringify([
    Number(row.seq),
    Number(row.at),
    row.actor_id,
    row.actor_name,
    row.action,
    row.target,
    row.detail,
    row.ip,
  ])
}

/** @returns the hash of an entry chained to `prevHash`. */
export function entryHash(prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  return sm3(`${prevHash}\n${canonicalEntry(row)}`)
}

/** One problem found by verification. */
export interface ChainProblem {
  /** The seq of the row where the problem shows. */
  readonly id: number
  /**
   * - `altered`: the row's content does not match its hash;
   * - `removed`: rows before this one are missing (a gap in seq);
   * - `relinked`: the row does not chain to the row before it (rows removed, inserted or reordered).
   */
  readonly problem: 'altered' | 'removed' | 'relinked'
}

/** Verifies rows page by page; feed pages in seq order, then read `problems`. */
export class ChainVerifier {
  readonly problems: ChainProblem[] = []
  checked = 0
  private prevHash = GENESIS_HASH
  private prevSeq = 0

  /** Checks the next rows in seq order. */
  feed(rows: readonly AuditRow[]): void {
    for (const row of rows) {
      const seq = Number(row.seq)
      if (seq !== this.prevSeq + 1) {
        this.problems.push({ id: seq, problem: 'removed' })
      } else if (row.prev_hash !== this.prevHash) {
        this.problems.push({ id: seq, problem: 'relinked' })
      }
      if (entryHash(row.prev_hash, row) !== row.hash) {
        this.problems.push({ id: seq, problem: 'altered' })
      }
      this.prevHash = row.hash
      this.prevSeq = seq
      this.checked++
    }
  }
}
