/**
 * The order of the relay's extensions, in one place: hooks run from the highest priority down
 * (server/relay/hooks.ts). Why each sits where it does is said next to it.
 */
export const PRIORITY = {
  /** Identity and access first: every other hook reads them. */
  auth: 1000,
  /** Before the limits, so a reader's write is audited even when the flood is cut short. */
  refusalAudit: 900,
  /** Floods are closed before anything costly looks at a message. */
  limits: 800,
  /** Counts what passed the limits, before the policy spends time on it. */
  metrics: 700,
  /** Judges updates before anything stores, versions or fans them out to other nodes. */
  policy: 600,
  /** Loads a room before Redis asks the other nodes for what it lacks. */
  persistence: 500,
  versions: 400,
  mentions: 300,
  /** Beside the mentions: both observe the room's own Y.Doc, not the client's message. */
  notices: 290,
  /** Fans out to other nodes what the hooks above accepted and stored. */
  redis: 200,
  /** Logs last, once the others have had their say. */
  logger: 100,
} as const
