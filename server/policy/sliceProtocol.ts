/** Messages between the relay and the update slicer worker (sliceWorker.ts). */

/** Slice an update against a state vector. */
export interface SliceRequest {
  readonly id: number
  /** The update (format v1) as received. */
  readonly update: Uint8Array
  /** Y.encodeStateVector of the room when the update was taken. */
  readonly stateVector: Uint8Array
}

/** An update cut into slices of at most SLICE_STRUCTS structs, in integration order. */
export interface SlicedUpdate {
  /** Updates to integrate in this order; every one's structs depend only on earlier ones and the state. */
  readonly slices: readonly Uint8Array[]
  /** What waits for structs neither the state nor the update has, as an update; null when none. */
  readonly waiting: Uint8Array | null
  /** Client ids the update writes with (structs beyond the state). */
  readonly clients: readonly number[]
}

/** The worker's answer. */
export type SliceResponse =
  | ({ readonly id: number; readonly ok: true } & SlicedUpdate)
  | {
      readonly id: number
      readonly ok: false
      readonly malformed: boolean
      readonly message: string
    }
