/**
 * 签发 records as the 签发 block, the timeline and the `signers` meta show them: the signer (the
 * leader, with the deputy when signed for them: 代), the opinion (none: 圈阅, which counts as
 * consent) and the full date in Asia/Shanghai.
 *
 * @example
 *   signoffRecords(reduce(instance, actions))
 *   // [{ stageId: 'signoff', signerId: 'u-chief', opinion: '同意', circled: false, date: '2026年12月7日', … }]
 */
import { shanghaiDateText } from './shanghaiTime'
import type { ApprovalState } from './state'

/** One signoff of the current round (stale ones are in `state.staleActionIds`). */
export interface SignoffRecord {
  readonly stageId: string
  readonly actionId: string
  /** The leader whose 签发 it is. */
  readonly signerId: string
  /** Who signed for them (代), when a deputy did. */
  readonly deputyId?: string
  readonly opinion?: string
  /** 圈阅: no opinion. */
  readonly circled: boolean
  /** Full date, e.g. 2026年12月7日. */
  readonly date: string
  /** The instant, ISO UTC ms. */
  readonly at: string
}

/** @returns the signoffs of every signoff stage's current round, in stage order. */
export function signoffRecords(state: ApprovalState): SignoffRecord[] {
  return state.stages
    .filter((stage) => stage.kind === 'signoff')
    .flatMap((stage) =>
      stage.consents.map((consent) => ({
        stageId: stage.id,
        actionId: consent.actionId,
        signerId: consent.userId,
        ...(consent.onBehalf ? { deputyId: consent.actorId } : {}),
        ...(consent.opinion !== undefined ? { opinion: consent.opinion } : {}),
        circled: consent.circled,
        date: shanghaiDateText(consent.at),
        at: consent.at,
      })),
    )
}
