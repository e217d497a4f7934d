/**
 * What a room answers to a sync step 1, with the work bounded whatever a client sends.
 *
 * A socket of a room receives every change of the room's document from the moment it joins (the
 * room fans each one out to it, in order, on the same socket). So once the relay has answered one
 * of its step 1 messages with the document as of some version after it joined, the socket will
 * have the whole document by the time it reads any later answer: a later step 1 (a save barrier of
 * the project's client, or a flood) needs only a receipt, an empty update.
 *
 * The first answer of a socket whose state vector is empty (a first open, a reader) is the whole
 * document. `Y.encodeStateAsUpdate` of a large document is costly (about 7 ms for 280 KB, most of a
 * second for 20 MB, all of it blocking), which a room of readers opening it together, or one reader
 * asking 5,000 times, used to pay each time. So the encoding is made once and kept, with the
 * changes made since (the room's own update events, already encoded): a socket that joined after
 * the encoding gets the changes made between the encoding and its join, merged, as a sync update
 * right before the encoding as its step 2 (the update waits in the client as pending until the step
 * 2 lands, so the document is complete when the client sees its first step 2 and decides, say,
 * whether the body is empty); the changes after its join reach it as fan-out. The encoding is made
 * anew only once the changes kept outgrow a bound. Small documents are not kept (encoding them is
 * cheap), nor an encoding no socket has asked for in a minute.
 *
 * @example
 *   const { missed, update } = answers.answer(connection, stateVector)
 *   // send `missed` (if any) as a sync update, then `update` as sync step 2
 */
import * as Y from 'yjs'

/** An update with no structs and an empty delete set. */
export const EMPTY_UPDATE = new Uint8Array([0, 0])
/** Changes kept after the encoding before it is made anew (count and bytes). */
const MAX_CHANGES = 2000
const MAX_CHANGE_BYTES = 4 * 1024 * 1024
/** Encodings smaller than this are not kept: they cost well under a millisecond to make anew. */
export const KEEP_ENCODING_FROM_BYTES = 64 * 1024
/** An encoding no socket has asked for in this long is forgotten (ms): memory goes to rooms in use. */
const KEEP_UNUSED_MS = 60_000

/** A sync step 2 answer. */
export interface Answer {
  /** Changes to send as a sync update right before the step 2 (they complete it), or null. */
  readonly missed: Uint8Array | null
  /** The step 2's update. */
  readonly update: Uint8Array
}

const RECEIPT: Answer = { missed: null, update: EMPTY_UPDATE }

/** What a socket needs for the answer: when it joined, and whether it was answered before. */
export interface AnswerTarget {
  /** The document version when the socket joined the room. */
  readonly joinedAtVersion: number
  /** Whether the socket has had its one answer with the document. */
  answered: boolean
}

/** Sync step 1 answers of one room's document. */
export class SyncAnswers {
  /** Counts the document's changes (each `update` event). */
  private version = 0
  /** The whole document as of `version`, and the changes since, oldest first. */
  private full: { readonly version: number; readonly update: Uint8Array } | null = null
  private readonly changes: Uint8Array[] = []
  private changeBytes = 0
  private lastUsed = 0

  constructor(
    private readonly doc: Y.Doc,
    private readonly now: () => number = Date.now,
  ) {}

  /** The document version now; a joining socket records it. */
  get currentVersion(): number {
    return this.version
  }

  /** Notes one change of the document (`update`: the room's update event). */
  changed(update: Uint8Array): void {
    this.version++
    if (this.full === null) {
      return
    }
    this.changes.push(update)
    this.changeBytes += update.length
    if (
      this.changes.length > MAX_CHANGES ||
      this.changeBytes > MAX_CHANGE_BYTES ||
      this.now() - this.lastUsed > KEEP_UNUSED_MS
    ) {
      this.clear()
    }
  }

  /**
   * Keeps `whole`, the document as of now as one update, as the encoding (when it is large enough
   * to be worth keeping): a loaded document's stored update.
   */
  prime(whole: Uint8Array): void {
    this.clear()
    if (whole.length >= KEEP_ENCODING_FROM_BYTES) {
      this.full = { version: this.version, update: whole }
      this.lastUsed = this.now()
    }
  }

  /**
   * @returns the update answering `stateVector` from `target`; marks `target` answered.
   * @throws when `stateVector` is malformed (the caller closes the socket)
   */
  answer(target: AnswerTarget, stateVector: Uint8Array): Answer {
    const known = Y.decodeStateVector(stateVector)
    if (target.answered) {
      return RECEIPT
    }
    target.answered = true
    if (known.size > 0) {
      // A client that has part of the document (a reconnect) gets what it lacks.
      return { missed: null, update: Y.encodeStateAsUpdate(this.doc, stateVector) }
    }
    if (this.full === null || this.now() - this.lastUsed > KEEP_UNUSED_MS) {
      this.clear()
      const update = Y.encodeStateAsUpdate(this.doc)
      if (update.length < KEEP_ENCODING_FROM_BYTES) {
        return { missed: null, update }
      }
      this.full = { version: this.version, update }
    }
    this.lastUsed = this.now()
    // Changes up to the socket's join; later ones reach it as fan-out.
    const missed = this.changes.slice(0, Math.max(0, target.joinedAtVersion - this.full.version))
    return {
      missed: missed.length === 0 ? null : Y.mergeUpdates(missed),
      update: this.full.update,
    }
  }

  /** Forgets the encoding and the changes since (memory; the next first answer encodes anew). */
  clear(): void {
    this.full = null
    this.changes.length = 0
    this.changeBytes = 0
  }
}
