/**
 * Canonical encodings of DESIGN §7: canonical JSON is RFC 8785 (JCS, via `canonicalize`): keys
 * sorted by UTF-16 code units, no whitespace, ECMAScript number and string forms; absent optional
 * fields are omitted and `null` is refused; times are ISO 8601 UTC with milliseconds. A device signs
 * the UTF-8 bytes of the canonical JSON of `action` (the wire fields only, never the record's).
 *
 * @example
 *   actionSigningText({ approvalId: 'a1', type: 'comment', stageId: 'start', nonce: 'n1',
 *     createdAt: '2026-12-07T02:21:26.000Z', opinion: '请阅' })
 *   // '{"approvalId":"a1","createdAt":"2026-12-07T02:21:26.000Z","nonce":"n1","opinion":"请阅","stageId":"start","type":"comment"}'
 */
import canonicalize from 'canonicalize'
import type { ApprovalAction, RecordedAction } from './actions'

/** Thrown for a value canonical JSON refuses (null, a non-finite number, a non-plain object, …). */
export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`canonical JSON: ${problem} at ${path}`)
    this.name = 'CanonicalJsonError'
  }
}

function check(value: unknown, path: string): void {
  if (value === null) {
    throw new CanonicalJsonError(path, 'null is refused (omit the field)')
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(path, 'non-finite number')
      }
      return
    case 'object':
      break
    default:
      throw new CanonicalJsonError(path, `${typeof value} has no JSON form`)
  }
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      if (item === undefined) {
        throw new CanonicalJsonError(`${path}[${index}]`, 'undefined in an array')
      }
      check(item, `${path}[${index}]`)
    })
    return
  }
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(path, 'not a plain object')
  }
  for (const [key, item] of Object.entries(value)) {
    // An undefined property is an absent optional field: omitted, as JCS does.
    if (item !== undefined) {
      check(item, `${path}.${key}`)
    }
  }
}

/**
 * @returns the RFC 8785 canonical JSON of a plain JSON value
 * @throws CanonicalJsonError for null, non-finite numbers, undefined in arrays, non-plain objects;
 *   Error for lone surrogates (from `canonicalize`)
 */
export function canonicalJson(value: unknown): string {
  check(value, '$')
  const text = canonicalize(value)
  if (text === undefined) {
    throw new CanonicalJsonError('$', 'no JSON form')
  }
  return text
}

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** @returns whether a string is an ISO 8601 UTC time with milliseconds that names a real instant. */
export function isIsoUtcMillis(value: string): boolean {
  if (!ISO_UTC_MS.test(value)) {
    return false
  }
  const time = Date.parse(value)
  return Number.isFinite(time) && new Date(time).toISOString() === value
}

/** @returns a time as ISO 8601 UTC with milliseconds (`2026-12-07T02:21:26.000Z`). */
export function toIsoUtcMillis(time: Date | number): string {
  return new Date(time).toISOString()
}

/** @returns the UTF-8 bytes of a well-formed string (shared/ has no TextEncoder in its lib). */
export function utf8Bytes(text: string): Uint8Array {
  const bytes: number[] = []
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x80) {
      bytes.push(code)
    } else if (code < 0x800) {
      bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f))
    } else if (code < 0x10000) {
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
    } else {
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      )
    }
  }
  return Uint8Array.from(bytes)
}

/** @returns the action as signed: the wire fields of a recorded action, without id, actor, outcome. */
export function wireAction(recorded: RecordedAction): ApprovalAction {
  const {
    id: _id,
    actorId: _actorId,
    outcome: _outcome,
    receivedAt: _receivedAt,
    substantiveDigest: _substantiveDigest,
    ...action
  } = recorded
  return action
}

/** The fields of `action` on the wire (DESIGN §7), the only ones a signature covers. */
export const ACTION_WIRE_KEYS: ReadonlySet<string> = new Set([
  'approvalId',
  'type',
  'stageId',
  'nonce',
  'createdAt',
  'opinion',
  'contentDigest',
  'onBehalfOf',
  'target',
])

/**
 * @returns the canonical JSON a device signs for an action. Only the wire fields count, so a
 *   recorded action (with id, actor, outcome) gives the same text as the action that was signed.
 */
export function actionSigningText(action: ApprovalAction): string {
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(action)) {
    if (ACTION_WIRE_KEYS.has(key)) {
      fields[key] = value
    }
  }
  return canonicalJson(fields)
}

/** @returns the bytes the SM2 signature of an action covers: UTF-8 of its canonical JSON. */
export function actionSigningBytes(action: ApprovalAction): Uint8Array {
  return utf8Bytes(actionSigningText(action))
}
