/**
 * What the server must record itself for an approval to move on (the engine never invents
 * actions): a `number` when a number stage is current (the register draws from
 * `documentNumberCounter` and the 发文字号 goes into `target.documentNumber` and the document's meta),
 * and a `reopen` (发文复核) when the document changed substantively after its 签发.
 *
 * Whether a change is substantive is decided against the digests recorded with the signoff: the
 * server stores `substantiveDigest` on approve/signoff records of documents; without it, any
 * change of the strict digest counts. A deployment may turn the punctuation rule off
 * (`ignorePunctuation: false`): then any change of the strict digest counts.
 *
 * @example
 *   for (const duty of systemDuties(instance, state, actions, contentDigests(doc))) {
 *     if (duty.kind === 'reopen') record({ type: 'reopen', stageId: duty.stageId, contentDigest: digest, … })
 *   }
 */
import type { RecordedAction } from './actions'
import type { ApprovalState } from './state'
import type { ApprovalInstance } from './types'

/** Something only the server records. */
export type SystemDuty =
  /** The number stage is current: draw the next number and record `number`. */
  | { readonly kind: 'number'; readonly stageId: string }
  /** The document changed substantively after 签发: record `reopen` with the new digest. */
  | { readonly kind: 'reopen'; readonly stageId: string }

/** The document's digests now (contentDigests of shared/gongwen/contentDigest.ts). */
export interface CurrentDigests {
  readonly digest: string
  readonly substantiveDigest: string
}

/** How a change after 签发 is judged. */
export interface ReviewRule {
  /** A change of punctuation or whitespace only is not substantive (true when absent). */
  readonly ignorePunctuation?: boolean
}

/** @returns whether a recorded consent bound to other content than the document has now. */
function changedSince(
  action: RecordedAction | undefined,
  now: CurrentDigests,
  ignorePunctuation: boolean,
): boolean {
  if (action === undefined) {
    return false
  }
  if (ignorePunctuation && action.substantiveDigest !== undefined) {
    return action.substantiveDigest !== now.substantiveDigest
  }
  return action.contentDigest !== undefined && action.contentDigest !== now.digest
}

/**
 * @param digests the document's digests now (document subjects; omit for forms)
 * @param rule how a change after 签发 is judged (punctuation ignored by default)
 * @returns the system actions due now, at most one of each kind
 */
export function systemDuties(
  instance: ApprovalInstance,
  state: ApprovalState,
  actions: readonly RecordedAction[],
  digests?: CurrentDigests,
  rule: ReviewRule = {},
): SystemDuty[] {
  const ignorePunctuation = rule.ignorePunctuation ?? true
  if (state.status !== 'running') {
    return []
  }
  const duties: SystemDuty[] = []
  const current = state.stages.find((stage) => stage.id === state.currentStageId)
  if (current?.kind === 'number') {
    duties.push({ kind: 'number', stageId: current.id })
  }
  if (digests !== undefined && instance.subject.type === 'document') {
    const byId = new Map(actions.map((action) => [action.id, action]))
    const signed = state.stages.filter(
      (stage) => stage.kind === 'signoff' && stage.status === 'done',
    )
    const changed = signed
      .reverse()
      .find((stage) =>
        stage.consents.some((consent) =>
          changedSince(byId.get(consent.actionId), digests, ignorePunctuation),
        ),
      )
    if (changed !== undefined) {
      duties.push({ kind: 'reopen', stageId: changed.id })
    }
  }
  return duties
}
