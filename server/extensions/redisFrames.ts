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
  /** The sending node stored every update of the room numbered ≤ varUint seq (nodes before storedAll). */
  stored: 8,
  /**
   * On the control channel: the sending node stored every update numbered ≤ varUint seq, in every
   * room (its numbering is one for all its rooms). One frame per commit instead of one per room.
   */
  storedAll: 9,
} as const
