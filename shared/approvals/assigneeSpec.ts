/**
 * How a flow template names a stage's assignees, before resolution against the directory
 * (resolve.ts). A stage lists one or more specs; their users are merged in order.
 *
 * @example
 *   const specs: AssigneeSpec[] = [{ post: '分管领导' }, { user: 'u-42' }]
 */

/** Leadership posts, looked up along the initiator's unit chain, nearest unit first. */
export type Post =
  /** 科室负责人: the head of the initiator's section. */
  | '科室负责人'
  /** 分管领导: the leader in charge of the section's area. */
  | '分管领导'
  /** 主要领导: the unit's principal (一把手). */
  | '主要领导'

/** The posts from the lowest to the highest: a review stage moves up this ladder (resolve.ts). */
export const POST_LADDER = ['科室负责人', '分管领导', '主要领导'] as const satisfies readonly Post[]

/** One way of naming assignees. */
export type AssigneeSpec =
  /** A named user. */
  | { readonly user: string }
  /**
   * Holders of a post: in the nearest unit of the initiator's chain that has one, or, with
   * `unitsFrom`, in each unit named by that `unit` field of the form data (joint 会签).
   */
  | { readonly post: Post; readonly unitsFrom?: string }
  /** Holders of an account role in the nearest unit of the initiator's chain that has one. */
  | { readonly role: string }
  /** The users named in a `person` field of the form data (e.g. the chosen countersigners). */
  | { readonly field: string }

/** @returns whether a value is one of the three posts. */
export function isPost(value: unknown): value is Post {
  return POST_LADDER.some((post) => post === value)
}
