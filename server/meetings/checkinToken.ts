/**
 * Sign-in tokens (DESIGN.md §8): `<meetingId>.<expiresAt ms>.<HMAC-SHA256>`, the HMAC over the
 * meeting id and the expiry under a server secret. The secret is derived from the audit key, which
 * every relay node of a deployment shares already (QILU_AUDIT_KEY or `<dataDir>/audit.key`), so a
 * token issued by one node is accepted by any other; it never leaves the server.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Why a token was refused. */
export type TokenProblem = 'bad_token' | 'token_expired'

/** @returns the check-in key derived from the audit key (a separate key: HMAC with a label). */
export function checkinKey(auditKey: Buffer): Buffer {
  return createHmac('sha256', auditKey).update('qilu meeting check-in token v1').digest()
}

function mac(key: Buffer, meetingId: string, expiresAt: number): Buffer {
  return createHmac('sha256', key).update(`checkin\n${meetingId}\n${expiresAt}`).digest()
}

/** @returns a token for `meetingId` valid until `expiresAt` (ms). */
export function issueToken(key: Buffer, meetingId: string, expiresAt: number): string {
  return `${meetingId}.${expiresAt}.${mac(key, meetingId, expiresAt).toString('base64url')}`
}

const TOKEN = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/

/**
 * Judges a token for `meetingId` at `now`: forged, malformed or another meeting's (whatever its
 * age) is `bad_token`; a genuine one past its expiry is `token_expired`.
 * @param maxTtlMs a genuine token never expires later than this after `now` (issue + TTL)
 * @returns null when the token is good
 */
export function judgeToken(
  key: Buffer,
  token: string,
  meetingId: string,
  now: number,
  maxTtlMs: number,
): TokenProblem | null {
  const match = TOKEN.exec(token)
  if (match === null) {
    return 'bad_token'
  }
  const [, tokenMeeting = '', expiryText = '', macText = ''] = match
  const expiresAt = Number(expiryText)
  const expected = mac(key, tokenMeeting, expiresAt)
  const given = Buffer.from(macText, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'bad_token'
  }
  if (tokenMeeting !== meetingId || expiresAt > now + maxTtlMs) {
    return 'bad_token'
  }
  return now >= expiresAt ? 'token_expired' : null
}
