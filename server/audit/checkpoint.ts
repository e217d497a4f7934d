/**
 * Signed checkpoints of the audit chain: (count, head hash, keyedFrom, time), signed with the
 * relay's SM2 key and appended, one JSON object per line, to a file outside the database (and to
 * the `audit_checkpoints` table). Someone who can write the database can neither forge one nor
 * undo one in the file, so cutting entries off the chain's end, or rewriting entries a checkpoint
 * covers, shows.
 *
 * The signed bytes are the UTF-8 of the canonical JSON (RFC 8785: keys sorted, no whitespace) of
 * `{ type: "qilu.audit.checkpoint", v: 1, count, head, keyedFrom, at }`, `at` in ISO 8601 UTC
 * with milliseconds. A line of the file is that object without `type` and `v`, plus `publicKey`
 * and `signature` (DER, hex):
 *
 * ```json
 * {"at":"2026-12-07T02:21:26.000Z","count":812,"head":"9f…","keyedFrom":1,"publicKey":"04…","signature":"3045…"}
 * ```
 */
import fs from 'node:fs'
import { sm2Sign, sm2Verify } from '../crypto/sm2'
import type { Sm2KeyPair } from '../crypto/sm2'

/** A signed checkpoint. */
export interface Checkpoint {
  /** Entries covered: the seq of the head when it was made. */
  readonly count: number
  /** The head entry's hash. */
  readonly head: string
  /** First keyed seq of the chain. */
  readonly keyedFrom: number
  /** ISO 8601 UTC with milliseconds. */
  readonly at: string
  readonly publicKey: string
  readonly signature: string
}

/** What a checkpoint says, before it is signed. */
export type CheckpointClaim = Omit<Checkpoint, 'publicKey' | 'signature'>

/** @returns the bytes the relay signs for a checkpoint. */
export function checkpointPayload(claim: CheckpointClaim): Uint8Array {
  // Keys in UTF-16 order and only strings and safe integers: JSON.stringify is then RFC 8785.
  const canonical = JSON.stringify({
    at: claim.at,
    count: claim.count,
    head: claim.head,
    keyedFrom: claim.keyedFrom,
    type: 'qilu.audit.checkpoint',
    v: 1,
  })
  return new TextEncoder().encode(canonical)
}

/** @returns the claim signed with the relay's key pair. */
export function signCheckpoint(claim: CheckpointClaim, pair: Sm2KeyPair): Checkpoint {
  const signature = sm2Sign(checkpointPayload(claim), pair.privateKey, pair.publicKey)
  return { ...claim, publicKey: pair.publicKey, signature }
}

/** @returns whether the checkpoint's signature verifies with `publicKey` (not the key it names). */
export function verifyCheckpoint(checkpoint: Checkpoint, publicKey: string): boolean {
  return sm2Verify(checkpointPayload(checkpoint), checkpoint.signature, publicKey)
}

/** @returns the file line of a checkpoint, with its newline. */
export function checkpointLine(checkpoint: Checkpoint): string {
  const { at, count, head, keyedFrom, publicKey, signature } = checkpoint
  return `${JSON.stringify({ at, count, head, keyedFrom, publicKey, signature })}\n`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCheckpoint(v: unknown): v is Checkpoint {
  return (
    isRecord(v) &&
    Number.isSafeInteger(v.count) &&
    Number.isSafeInteger(v.keyedFrom) &&
    typeof v.head === 'string' &&
    typeof v.at === 'string' &&
    typeof v.publicKey === 'string' &&
    typeof v.signature === 'string'
  )
}

/** @returns a checkpoint parsed from one line, or null when it is not one. */
export function parseCheckpointLine(line: string): Checkpoint | null {
  try {
    const value: unknown = JSON.parse(line)
    return isCheckpoint(value) ? value : null
  } catch {
    return null
  }
}

/**
 * Appends a checkpoint to the file (created 0600) and waits until it is on disk, so a checkpoint in
 * the database is never newer than the file's.
 */
export function appendCheckpointFile(file: string, checkpoint: Checkpoint): void {
  const fd = fs.openSync(file, 'a', 0o600)
  try {
    fs.writeSync(fd, checkpointLine(checkpoint))
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** The checkpoints of a file, and the numbers of the lines that are not checkpoints. */
export interface CheckpointFile {
  readonly checkpoints: Checkpoint[]
  readonly badLines: number[]
}

/** Reads a checkpoint file. @returns null when it does not exist. */
export function readCheckpointFile(file: string): CheckpointFile | null {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') {
      return null
    }
    throw error
  }
  const checkpoints: Checkpoint[] = []
  const badLines: number[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') {
      return
    }
    const checkpoint = parseCheckpointLine(line)
    if (checkpoint === null) {
      badLines.push(index + 1)
    } else {
      checkpoints.push(checkpoint)
    }
  })
  return { checkpoints, badLines }
}
