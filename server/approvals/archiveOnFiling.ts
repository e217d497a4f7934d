/**
 * 归档 at the end of a 公文's flow: when the command that completes a flow holding an archive stage
 * commits, its document is archived (DocumentLifecycle's state: read-only for everyone) in the same
 * transaction, with the same audit action `doc.archive` (detail: the approval).
 */
import type { ApprovalInstance, ApprovalState } from '../../shared/approvals'
import type { UnitOfWork } from '../storage/UnitOfWork'
import { archiveInWork } from '../services/DocumentLifecycle'

/**
 * @param wasRunning whether the approval was running before this command
 * @returns the id of the document archived now, or null
 */
export async function archiveWhenFiled(
  uow: UnitOfWork,
  instance: ApprovalInstance,
  state: ApprovalState,
  wasRunning: boolean,
  now: number,
): Promise<string | null> {
  const { subject } = instance
  if (!wasRunning || state.status !== 'approved' || subject.type !== 'document') {
    return null
  }
  if (!instance.stages.some((stage) => stage.kind === 'archive')) {
    return null
  }
  const by = { actor: { id: null, name: 'system' } }
  const archived = await archiveInWork(uow, subject.documentId, by, now, {
    approvalId: instance.id,
  })
  return archived ? subject.documentId : null
}
