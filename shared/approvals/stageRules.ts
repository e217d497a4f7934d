/**
 * Which action types each stage kind takes, and how types group for the rules of judge.ts.
 * A type that does not fit the declared stage is `invalid_action` before anything else is looked at.
 *
 * | type                         | stages it fits                                   |
 * |------------------------------|--------------------------------------------------|
 * | submit, resubmit             | `start` only                                     |
 * | approve                      | review, countersign, seal, distribute, archive   |
 * | signoff                      | signoff only (签发; no opinion = 圈阅)           |
 * | reject                       | review, countersign, signoff (decisions, not clerical work) |
 * | return, transfer             | every kind (a registrar may return a draft)      |
 * | addSigner                    | review, countersign, signoff                     |
 * | number (system)              | number only: the register completes it, a person cannot |
 * | reopen (system)              | signoff only                                     |
 * | withdraw, comment            | `start` or any stage                             |
 * | urge, reassign, remind       | any stage but `start`                            |
 *
 * @example
 *   fitsStage('signoff', 'review') // false: only a signoff stage takes signoff
 */
import type { StageKind } from './types'
import type { ActionType, ClientActionType, SystemActionType } from './actions'
import { SYSTEM_ACTION_TYPES } from './actions'

/** Where an action is declared: a stage of some kind, or the initiator's `start`. */
export type StagePlace = StageKind | 'start'

const ALL_KINDS: readonly StageKind[] = [
  'review',
  'countersign',
  'signoff',
  'number',
  'seal',
  'distribute',
  'archive',
]

const FITS: Readonly<Record<ActionType, readonly StagePlace[]>> = {
  submit: ['start'],
  resubmit: ['start'],
  approve: ['review', 'countersign', 'seal', 'distribute', 'archive'],
  signoff: ['signoff'],
  reject: ['review', 'countersign', 'signoff'],
  return: ALL_KINDS,
  transfer: ALL_KINDS,
  addSigner: ['review', 'countersign', 'signoff'],
  withdraw: ['start', ...ALL_KINDS],
  comment: ['start', ...ALL_KINDS],
  urge: ALL_KINDS,
  number: ['number'],
  reassign: ALL_KINDS,
  reopen: ['signoff'],
  remind: ALL_KINDS,
}

/** @returns whether an action type may be declared at a stage of this kind (or at `start`). */
export function fitsStage(type: ActionType, place: StagePlace): boolean {
  return FITS[type].includes(place)
}

/** @returns whether only the server records this type. */
export function isSystemType(type: ActionType): type is SystemActionType {
  return SYSTEM_ACTION_TYPES.some((system) => system === type)
}

/** Consents: they fill the actor's place and bind to the content digest. */
export const CONSENT_TYPES: ReadonlySet<ActionType> = new Set(['approve', 'signoff'])

/** Types that act on the actor's open place in the current stage (turn rules apply). */
export const PLACE_TYPES: ReadonlySet<ActionType> = new Set([
  'approve',
  'signoff',
  'reject',
  'return',
  'transfer',
  'addSigner',
])

/** Decisions: they move the flow; one by someone else closes the window to withdraw. */
export const DECISION_TYPES: ReadonlySet<ActionType> = new Set([
  'submit',
  'resubmit',
  'approve',
  'signoff',
  'reject',
  'return',
  'transfer',
  'addSigner',
  'number',
  'reopen',
])

/** A person's decisions that they may withdraw while nobody has acted after them. */
export const WITHDRAWABLE_TYPES: ReadonlySet<ActionType> = new Set([
  'approve',
  'signoff',
  'return',
  'transfer',
  'addSigner',
])

/** Types that are superseded (recorded, not applied) when their stage is no longer current. */
export const STAGE_BOUND_TYPES: ReadonlySet<ActionType> = new Set([
  ...PLACE_TYPES,
  'urge',
  'number',
])

/** Initiator-only types (besides `withdraw` at `start`). */
export const INITIATOR_TYPES: ReadonlySet<ClientActionType> = new Set([
  'submit',
  'resubmit',
  'urge',
])

/** Types that must carry `contentDigest` when the subject is a document. */
export const DIGEST_TYPES: ReadonlySet<ActionType> = new Set(['approve', 'signoff', 'reopen'])
