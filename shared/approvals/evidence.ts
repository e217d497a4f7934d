/**
 * The evidence file of an approval (`GET /api/v1/approvals/<id>/evidence`, DESIGN §7) and its
 * offline check (`npm run verify -- <file>`). The relay signs `signed` — the instance and every
 * action with its device key, signature and the content each digest covers — with its own SM2
 * key over the UTF-8 of its canonical JSON. `verifyEvidence` checks, and names what fails:
 * - the relay's signature over `signed` (and, given a trusted key, that it is the relay's key);
 * - each person's action: its SM2 signature by the device key over the action's canonical JSON;
 * - each digest: SM3 of the content recorded with it equals the action's `contentDigest`;
 * - the list keeps the rules: `reduce` finds no anomaly (an outcome the rules would not give).
 *
 * @example
 *   const report = verifyEvidence(JSON.parse(text))
 *   if (!report.ok) console.error(report.failures.join('\n'))
 */
import { sm3 } from 'sm-crypto-v2'
import { z } from 'zod'
import { sm2Verify } from '../crypto/sm2'
import { SYSTEM_ACTOR_ID } from './actions'
import type { RecordedAction } from './actions'
import { IdSchema, IsoTimeSchema, RecordedActionSchema } from './actionSchema'
import { actionSigningBytes, canonicalJson, utf8Bytes, wireAction } from './canonical'
import { ApprovalInstanceSchema } from './instanceSchema'
import { reduce } from './reduce'
import type { ApprovalInstance } from './types'

/** The format tag of evidence files. */
export const EVIDENCE_FORMAT = 'qilu-approval-evidence/1'

const HEX = /^[0-9a-f]+$/

/** One recorded action in the evidence, with what proves it. */
export const EvidenceActionSchema = z.strictObject({
  /** The server's order, from 1. */
  seq: z.number().int().positive(),
  action: RecordedActionSchema,
  /** The device that signed (person's actions). */
  deviceId: IdSchema.optional(),
  /** Its SM2 public key, uncompressed hex. */
  devicePublicKey: z
    .string()
    .regex(/^04[0-9a-fA-F]{128}$/)
    .optional(),
  /** SM2, DER, hex. */
  signature: z.string().regex(HEX).optional(),
  /** The canonical content encoding (shared/gongwen/contentDigest.ts) the digest covers. */
  content: z.string().optional(),
})
export type EvidenceAction = z.infer<typeof EvidenceActionSchema>

/** What the relay signs. */
export const EvidenceSignedSchema = z.strictObject({
  format: z.literal(EVIDENCE_FORMAT),
  approvalId: IdSchema,
  title: z.string(),
  exportedAt: IsoTimeSchema,
  instance: ApprovalInstanceSchema,
  actions: z.array(EvidenceActionSchema),
  /** The relay's SM2 public key (uncompressed hex). */
  relayPublicKey: z.string().regex(/^04[0-9a-fA-F]{128}$/),
})
export type EvidenceSigned = z.infer<typeof EvidenceSignedSchema>

/** The evidence file. */
export const EvidenceSchema = z.strictObject({
  signed: EvidenceSignedSchema,
  /** The relay's SM2 signature (DER, hex) over the UTF-8 of canonicalJson(signed). */
  relaySignature: z.string().regex(HEX),
})
export type Evidence = z.infer<typeof EvidenceSchema>

/** @returns the bytes the relay signs. */
export function evidenceSigningBytes(signed: EvidenceSigned): Uint8Array {
  return utf8Bytes(canonicalJson(signed))
}

/** The outcome of verifying evidence. */
export interface EvidenceReport {
  readonly ok: boolean
  /** One line per failure, naming the action (seq, id, type) or the relay-signed part. */
  readonly failures: readonly string[]
  /** How many actions were checked. */
  readonly actions: number
}

function nameOf(item: { seq: number; action: { id: string; type: string } }): string {
  return `action #${item.seq} (${item.action.id}, ${item.action.type})`
}

/**
 * Verifies an evidence file offline.
 * @param trustedRelayKey when given, the relay key in the file must be this one
 */
export function verifyEvidence(input: unknown, trustedRelayKey?: string): EvidenceReport {
  const parsed = EvidenceSchema.safeParse(input)
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    return { ok: false, failures: [`malformed evidence: ${where.join('; ')}`], actions: 0 }
  }
  const { signed, relaySignature } = parsed.data
  const failures: string[] = []
  if (!sm2Verify(evidenceSigningBytes(signed), relaySignature, signed.relayPublicKey)) {
    failures.push('relay-signed part: the relay signature does not verify')
  }
  if (
    trustedRelayKey !== undefined &&
    trustedRelayKey.toLowerCase() !== signed.relayPublicKey.toLowerCase()
  ) {
    failures.push('relay-signed part: signed by another key than the trusted relay key')
  }
  for (const item of signed.actions) {
    const action = item.action as RecordedAction
    if (action.approvalId !== signed.approvalId) {
      failures.push(`${nameOf(item)}: belongs to another approval`)
    }
    if (action.actorId !== SYSTEM_ACTOR_ID) {
      const good =
        item.signature !== undefined &&
        item.devicePublicKey !== undefined &&
        sm2Verify(actionSigningBytes(wireAction(action)), item.signature, item.devicePublicKey)
      if (!good) {
        failures.push(`${nameOf(item)}: the signature does not verify`)
      }
    }
    if (action.contentDigest !== undefined && item.content !== undefined) {
      if (sm3(item.content) !== action.contentDigest) {
        failures.push(`${nameOf(item)}: the content does not match its digest`)
      }
    }
  }
  const seqs = signed.actions.map((item) => item.seq)
  if (seqs.some((seq, index) => seq !== index + 1)) {
    failures.push('relay-signed part: the actions are not numbered 1, 2, … in order')
  }
  const state = reduce(
    signed.instance as ApprovalInstance,
    signed.actions.map((item) => item.action as RecordedAction),
  )
  for (const anomaly of state.anomalies) {
    const item = signed.actions.find((entry) => entry.action.id === anomaly.actionId)
    const name = item === undefined ? `action ${anomaly.actionId}` : nameOf(item)
    failures.push(`${name}: breaks the rules (${anomaly.code}: ${anomaly.reason})`)
  }
  return { ok: failures.length === 0, failures, actions: signed.actions.length }
}
