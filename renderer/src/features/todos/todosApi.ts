/** The relay calls of the 待办 centre, by route (shared/http/routes). */
import type { TodoBox, TodoCounts, TodoItem } from '../../../../shared/http/routes/approvals'
import { batchAct, documentDigest, listTodos } from '../../../../shared/http/routes/approvals'
import { listForms } from '../../../../shared/http/routes/approvalSetup'
import type { FormView } from '../../../../shared/http/routes/approvalSetup'
import { completeMeetingTask, myMeetingTasks } from '../../../../shared/http/routes/meetingFollowUp'
import type { OwnedMeetingTask } from '../../../../shared/http/routes/meetingFollowUp'
import { call } from '../../api/call'
import type { BatchPorts, SignedAction } from './batchApprove'

/** The rows of one box, newest first, and the counts of all four. @throws ApiError */
export async function fetchTodos(box: TodoBox): Promise<{ items: TodoItem[]; counts: TodoCounts }> {
  return call(listTodos, { query: { box, limit: 200 } })
}

/** Every form a user can start (built-in first). @throws ApiError */
export async function fetchForms(): Promise<FormView[]> {
  return (await call(listForms)).forms
}

/** @returns a document's current content digest. @throws ApiError */
export async function fetchDigest(documentId: string): Promise<string> {
  return (await call(documentDigest, { params: { id: documentId } })).digest
}

/** Sends a batch of signed actions. @throws ApiError */
export const sendBatch: BatchPorts['send'] = async (items: readonly SignedAction[]) =>
  (await call(batchAct, { body: { items: [...items] } })).results

/** My 议定事项 from meetings: open ones by due date, then done ones. @throws ApiError */
export async function fetchMeetingTasks(): Promise<OwnedMeetingTask[]> {
  return (await call(myMeetingTasks)).tasks
}

/** Marks one of my 议定事项 done. @throws ApiError */
export async function finishMeetingTask(taskId: string): Promise<void> {
  await call(completeMeetingTask, { params: { id: taskId } })
}
