/**
 * The audit chain. Each entry's hash covers the previous entry's hash and the entry's canonical
 * encoding, which includes its sequence number: altering a row breaks its own hash, removing or
 * reordering rows breaks the links.
 *
 * Keyed chain: from the seq where keying began (`keyedFrom`, recorded in `audit_keys` and in every
 * signed checkpoint) the hash is HMAC-SM3 under the audit key, which is not in the database, so
 * someone who can write the database cannot recompute the hashes after an edit. Entries before it
 * (a chain started before keying existed) keep their plain SM3 hashes; the first keyed entry chains
 * to the last of them.
 */
import { createHash, createHmac } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { AuditRow } from '../storage/AuditStore'

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** `keyedFrom` of a chain that has no key record (every entry is plain SM3). */
export const NEVER_KEYED = Number.MAX_SAFE_INTEGER

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

/** @returns the plain (unkeyed) hash of an entry chained to `prevHash`: entries before keying. */
export function entryHash(prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  return sm3(`${prevHash}\n${canonicalEntry(row)}`)
}

/** @returns the keyed hash (HMAC-SM3 under `key`) of an entry chained to `prevHash`. */
export function entryMac(
  key: Uint8Array | KeyObject,
  prevHash: string,
  row: Omit<AuditRow, 'prev_hash' | 'hash'>,
): string {
  return createHmac('sm3', key)
    .update(`${prevHash}\n${canonicalEntry(row)}`)
    .digest('hex')
}

/** @returns the fingerprint of an audit key: HMAC-SM3 of a fixed label, safe to store. */
export function keyFingerprint(key: Uint8Array | KeyObject): string {
  return createHmac('sm3', key).update('qilu-audit-key-fingerprint/v1').digest('hex')
}

/** One problem found by verification. */
export interface ChainProblem {
  /** The seq of the row where the problem shows (the first one affected). */
  readonly id: number
  /**
   * - `altered`: the row's content does not match its hash (edited, or hashes recomputed without the key);
   * - `removed`: rows before this one are missing (a gap in seq);
   * - `relinked`: the row does not chain to the row before it (rows removed, inserted or reordered);
   * - `truncated`: this row and every later one that a signed checkpoint counted are missing;
   * - `checkpoint_mismatch`: the row a signed checkpoint ends at has another hash than it signed;
   * - `bad_checkpoint`: a checkpoint of this count claims the relay's key but its signature fails;
   * - `key_record`: the database's record of where keying began differs from the signed one.
   */
  readonly problem:
    | 'altered'
    | 'removed'
    | 'relinked'
    | 'truncated'
    | 'checkpoint_mismatch'
    | 'bad_checkpoint'
    | 'key_record'
}

/** What the verifier checks the rows against. */
export interface ChainExpectations {
  /** The audit key; null when unknown, and then no row from `keyedFrom` on can be checked. */
  readonly key: Uint8Array | null
  /** First seq whose hash is keyed. */
  readonly keyedFrom: number
  /** The newest checkpoint whose signature verified: the chain must reach its count with its head. */
  readonly checkpoint: { readonly count: number; readonly head: string } | null
}

/** Thrown when a keyed row must be checked without the key. */
export class AuditKeyMissingError extends Error {
  constructor() {
    super(
      '审计密钥缺失，无法校验带密钥的审计链 (the audit key is needed to verify the keyed chain)',
    )
  }
}

/** Verifies rows page by page; feed pages in seq order, call `finish`, then read `problems`. */
export class ChainVerifier {
  readonly problems: ChainProblem[] = []
  checked = 0
  private prevHash = GENESIS_HASH
  private prevSeq = 0

  constructor(private readonly expect: ChainExpectations) {}

  /** Checks the next rows in seq order. @throws AuditKeyMissingError on a keyed row without the key. */
  feed(rows: readonly AuditRow[]): void {
    for (const row of rows) {
      const seq = Number(row.seq)
      if (seq !== this.prevSeq + 1) {
        this.problems.push({ id: seq, problem: 'removed' })
      } else if (row.prev_hash !== this.prevHash) {
        this.problems.push({ id: seq, problem: 'relinked' })
      }
      if (this.expectedHash(row) !== row.hash) {
        this.problems.push({ id: seq, problem: 'altered' })
      }
      if (seq === this.expect.checkpoint?.count && row.hash !== this.expect.checkpoint.head) {
        this.problems.push({ id: seq, problem: 'checkpoint_mismatch' })
      }
      this.prevHash = row.hash
      this.prevSeq = seq
      this.checked++
    }
  }

  /** Reports rows a checkpoint counted that were never fed (the chain was cut short). */
  finish(): void {
    if ((this.expect.checkpoint?.count ?? 0) > this.prevSeq) {
      this.problems.push({ id: this.prevSeq + 1, problem: 'truncated' })
    }
  }

  private expectedHash(row: AuditRow): string {
    if (Number(row.seq) < this.expect.keyedFrom) {
      return entryHash(row.prev_hash, row)
    }
    if (this.expect.key === null) {
      throw new AuditKeyMissingError()
    }
    return entryMac(this.expect.key, row.prev_hash, row)
  }
}
