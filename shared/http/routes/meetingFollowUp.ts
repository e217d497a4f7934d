/**
 * A meeting's follow-up (issue 21, extending DESIGN.md §8): its agenda and material documents, read
 * by every invitee through the meeting's ACL (the relay decides at the upgrade), withdrawing an
 * invitation (which withdraws that reading), and 议定事项: tasks with an owner and a due date that
 * land in the owner's 待办 centre.
 *
 * @example
 *   await call(attachMeetingDocument, { params: { id }, body: { kind: 'agenda', title: '议程' } })
 *   await call(createMeetingTask, { params: { id }, body: { title, ownerId, dueDate: '2026-12-20' } })
 */
import { z } from 'zod'
import { defineRoute } from '../contract'
import { MeetingIdSchema, MeetingTaskView } from './meetings'

/** The most documents one meeting carries. */
export const MAX_MEETING_DOCUMENTS = 30
/** The most 议定事项 of one meeting. */
export const MAX_MEETING_TASKS = 200

/**
 * `POST /api/v1/meetings/<id>/documents` (organiser) `{ kind, documentId? | title? }` → 201: attaches
 * a document the organiser owns, or creates a new one owned by the organiser. One agenda a meeting.
 */
export const attachMeetingDocument = defineRoute({
  method: 'POST',
  path: '/api/v1/meetings/:id/documents',
  params: z.object({ id: MeetingIdSchema }),
  body: z
    .strictObject({
      kind: z.enum(['agenda', 'material']),
      documentId: MeetingIdSchema.optional(),
      title: z.string().trim().min(1).max(200).optional(),
    })
    .refine((b) => (b.documentId === undefined) !== (b.title === undefined), {
      message: 'documentId or title, exactly one',
    }),
  status: 201,
  response: z.object({ documentId: z.string() }),
})

/** `DELETE /api/v1/meetings/<id>/documents/<documentId>` (organiser) → 204: detached. */
export const detachMeetingDocument = defineRoute({
  method: 'DELETE',
  path: '/api/v1/meetings/:id/documents/:documentId',
  params: z.object({ id: MeetingIdSchema, documentId: MeetingIdSchema }),
  status: 204,
  response: z.null(),
})

/**
 * `DELETE /api/v1/meetings/<id>/invitees/<userId>` (organiser) → 200: the invitation withdrawn (and
 * that of the person's deputy); they no longer read the meeting or its documents.
 */
export const withdrawInvitation = defineRoute({
  method: 'DELETE',
  path: '/api/v1/meetings/:id/invitees/:userId',
  params: z.object({ id: MeetingIdSchema, userId: MeetingIdSchema }),
  status: 200,
  response: z.object({ withdrawn: z.array(z.string()) }),
})

/** A due date, local Asia/Shanghai. */
export const DueDate = z.iso.date()

/**
 * `POST /api/v1/meetings/<id>/tasks` (organiser, or an editor of the minutes) → 201 the task; its
 * owner must be an active person.
 */
export const createMeetingTask = defineRoute({
  method: 'POST',
  path: '/api/v1/meetings/:id/tasks',
  params: z.object({ id: MeetingIdSchema }),
  body: z.strictObject({
    title: z.string().trim().min(1).max(300),
    ownerId: MeetingIdSchema,
    dueDate: DueDate,
  }),
  status: 201,
  response: MeetingTaskView,
})

/** `POST /api/v1/meeting-tasks/<id>/done` (its owner or the meeting's organiser) → 200 the task. */
export const completeMeetingTask = defineRoute({
  method: 'POST',
  path: '/api/v1/meeting-tasks/:id/done',
  params: z.object({ id: MeetingIdSchema }),
  status: 200,
  response: MeetingTaskView,
})

/** A task in its owner's 待办 list, with its meeting's title. */
export const OwnedMeetingTask = MeetingTaskView.extend({ meetingTitle: z.string() })
export type OwnedMeetingTask = z.infer<typeof OwnedMeetingTask>

/** `GET /api/v1/meeting-tasks` → 200 the caller's 议定事项: open ones by due date, then done ones. */
export const myMeetingTasks = defineRoute({
  method: 'GET',
  path: '/api/v1/meeting-tasks',
  status: 200,
  response: z.object({ tasks: z.array(OwnedMeetingTask) }),
})
