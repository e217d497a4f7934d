/** The kinds of frame nodes publish to each other through Redis (RedisExtension): the frame's first byte. */
export const FrameKind = {
  update: 1,
  /** Awareness without owners, from nodes before presence ownership: not applied. */
  awarenessUnowned: 2,
  stateVector: 3,
  control: 4,
  awareness: 5,
  /** A state vector sent in return for another node's (stateVector): answered, never returned. */
  stateVectorReturn: 6,
  /** An update with its number on the sending node: varUint seq, then the update. */
  updateNumbered: 7,
  /** The sending node stored every update of the room numbered ≤ varUint seq. */
  stored: 8,
} as const
