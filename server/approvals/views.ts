/** The approval's view (`GET /api/v1/approvals/<id>`, the `approval:<id>` room) from its rows. */
import { SYSTEM_ACTOR_ID, reduce } from '../../shared/approvals'
import type { ApprovalInstance, ApprovalState, RecordedAction } from '../../shared/approvals'
import type { ApprovalPerson, ApprovalView } from '../../shared/http/routes/approvals'
import type { ApprovalActionRow, ApprovalRow } from '../storage/approvals/ApprovalStore'
import type { Stores } from '../storage/UnitOfWork'
import { participantsOf } from './projection'
import { recordedOf } from './recordAction'

/** An approval's rows, parsed and reduced. */
export interface LoadedApproval {
  readonly row: ApprovalRow
  readonly rows: readonly ApprovalActionRow[]
  readonly instance: ApprovalInstance
  readonly actions: readonly RecordedAction[]
  readonly state: ApprovalState
}

/** @returns the approval with its reduced state, or null. */
export async function loadApproval(stores: Stores, id: string): Promise<LoadedApproval | null> {
  const row = await stores.approvals.byId(id)
  if (row === null) {
    return null
  }
  const rows = await stores.approvals.actions(id)
  const instance = JSON.parse(row.instance) as ApprovalInstance
  const actions = recordedOf(rows)
  return { row, rows, instance, actions, state: reduce(instance, actions) }
}

/** @returns names (and units) of everyone the approval mentions. */
export async function peopleOf(
  stores: Stores,
  loaded: Pick<LoadedApproval, 'instance' | 'state' | 'actions'>,
): Promise<Record<string, ApprovalPerson>> {
  const ids = participantsOf(loaded.instance, loaded.state, loaded.actions).filter(
    (id) => id !== SYSTEM_ACTOR_ID,
  )
  const users = await stores.org.usersByIds(ids)
  const unitIds = [...new Set(users.map((user) => user.unit_id).filter((id) => id !== null))]
  const units = await Promise.all(unitIds.map((id) => stores.org.unitById(id)))
  const unitNames = new Map(units.filter((u) => u !== null).map((u) => [u.id, u.name]))
  const people: Record<string, ApprovalPerson> = {}
  for (const user of users) {
    const unitName = user.unit_id === null ? undefined : unitNames.get(user.unit_id)
    people[user.id] = {
      id: user.id,
      displayName: user.display_name,
      ...(unitName !== undefined ? { unitName } : {}),
    }
  }
  return people
}

/** @returns the view of a loaded approval. */
export async function viewOf(stores: Stores, loaded: LoadedApproval): Promise<ApprovalView> {
  const { row, rows, instance, state } = loaded
  return {
    id: row.id,
    status: state.status,
    currentStageId: state.currentStageId,
    stages: [...state.stages],
    actions: rows.map((item) => {
      const recorded = JSON.parse(item.body) as RecordedAction
      return {
        ...recorded,
        ...(item.device_id !== null ? { deviceId: item.device_id } : {}),
        ...(item.signature !== null ? { signature: item.signature } : {}),
      }
    }),
    // Stored as the engine wrote it (readonly types); the wire schema's arrays are the same data.
    instance: instance as ApprovalView['instance'],
    state,
    title: row.title,
    people: await peopleOf(stores, loaded),
  }
}
