/**
 * Seeded input generators for fuzzing the relay: y-websocket messages taken from a real document
 * session and mutated (bit flips, truncations, lying lengths, huge varints, splices), many presences
 * at once, garbage. Everything comes from one lib0 PRNG, so a seed replays a run (the requests of
 * fuzzRequests.ts draw from the same Fuzzer).
 *
 * @example
 *   const fuzz = new Fuzzer(fuzzSeed())
 *   socket.send(fuzz.message())
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as prng from 'lib0/prng'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'

/** The CI seed: the normal suite replays the same cases on every run. */
export const DEFAULT_FUZZ_SEED = 20261207

/** @returns the seed from QILU_FUZZ_SEED (set by `npm run fuzz`), or the CI seed. */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env.QILU_FUZZ_SEED)
  return Number.isSafeInteger(fromEnv) ? fromEnv : DEFAULT_FUZZ_SEED
}

/** @returns the case multiplier from QILU_FUZZ_SCALE (1 in CI). */
export function fuzzScale(): number {
  const fromEnv = Number(process.env.QILU_FUZZ_SCALE)
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 1
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Real messages of a real session: a 公文-shaped document, its updates, and presence. */
function realMessages(): Uint8Array[] {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment('body')
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText('关于做好年度工作的通知')])
  body.insert(0, [paragraph])
  doc.getMap('meta').set('title', '通知')
  doc.getMap('comments').set('c1', new Y.Map())
  const before = Y.encodeStateVector(doc)
  const text = new Y.XmlText('各单位：')
  body.insert(1, [text])
  text.format(0, 2, { bold: true })
  const increment = Y.encodeStateAsUpdate(doc, before)
  body.delete(0, 1)
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState({ user: { name: '省长' }, cursor: { anchor: 1, head: 2 } })
  const presence = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])
  awareness.destroy()
  return [
    frame((e) => {
      encoding.writeVarUint(e, 0)
      syncProtocol.writeSyncStep1(e, doc)
    }),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      syncProtocol.writeSyncStep2(e, doc)
    }),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      syncProtocol.writeUpdate(e, increment)
    }),
    frame((e) => {
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint8Array(e, presence)
    }),
    new Uint8Array([0, 0, 1, 0]),
    new Uint8Array([3]),
    new Uint8Array([2, 0]),
  ]
}

/** Varints that decode to lengths and counts far beyond any message. */
const HUGE_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x80, 0x80, 0x80, 0x08],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  [0xff, 0xff, 0xff],
]

/** Generates hostile inputs from one seed. */
export class Fuzzer {
  readonly gen: prng.PRNG
  private readonly corpus = realMessages()

  constructor(readonly seed: number) {
    this.gen = prng.create(seed)
  }

  /** @returns an integer in [min, max]. */
  int(min: number, max: number): number {
    return prng.int32(this.gen, min, max)
  }

  /** @returns true with probability `p`. */
  chance(p: number): boolean {
    return prng.real53(this.gen) < p
  }

  /** @returns one element of `items`. */
  pick<T>(items: readonly T[]): T {
    return prng.oneOf(this.gen, items as T[])
  }

  /** @returns `length` random bytes. */
  bytes(length: number): Uint8Array {
    return prng.uint8Array(this.gen, length)
  }

  /** @returns a y-websocket message: real, mutated, framed around garbage, or plain random. */
  message(): Uint8Array {
    const kind = this.int(0, 9)
    if (kind === 0) {
      return this.bytes(this.int(0, 64))
    }
    if (kind === 1) {
      return this.framedGarbage()
    }
    if (kind === 2) {
      return this.manyPresences()
    }
    if (kind === 3) {
      return this.pick(this.corpus)
    }
    let message = this.pick(this.corpus)
    for (let i = this.int(1, 3); i > 0; i--) {
      message = this.mutate(message)
    }
    return message
  }

  /** @returns `data` with one mutation applied. */
  mutate(data: Uint8Array): Uint8Array {
    const at = data.length === 0 ? 0 : this.int(0, data.length - 1)
    switch (this.int(0, 8)) {
      case 0: {
        const copy = data.slice()
        if (copy.length > 0) {
          copy[at] = (copy[at] ?? 0) ^ (1 << this.int(0, 7))
        }
        return copy
      }
      case 1: {
        const copy = data.slice()
        if (copy.length > 0) {
          copy[at] = this.int(0, 255)
        }
        return copy
      }
      case 2:
        return data.slice(0, at)
      case 3:
        return concat(data.subarray(0, at), this.bytes(this.int(1, 16)), data.subarray(at))
      case 4:
        return concat(
          data.subarray(0, at),
          data.subarray(Math.min(data.length, at + this.int(1, 8))),
        )
      case 5:
        return concat(
          data.subarray(0, at),
          new Uint8Array(this.pick(HUGE_VARINTS)),
          data.subarray(at + 1),
        )
      case 6: {
        const other = this.pick(this.corpus)
        return concat(data.subarray(0, at), other.subarray(this.int(0, other.length)))
      }
      case 7: {
        const end = Math.min(data.length, at + this.int(1, 32))
        return concat(data.subarray(0, end), data.subarray(at, end), data.subarray(end))
      }
      default: {
        // Keep the framing, change the message type or sync step.
        const copy = data.slice()
        copy[Math.min(copy.length - 1, this.int(0, 1))] = this.pick([
          0, 1, 2, 3, 4, 7, 127, 128, 255,
        ])
        return copy
      }
    }
  }

  /** A valid-looking frame (sync step / awareness) whose payload is garbage or lies about its length. */
  private framedGarbage(): Uint8Array {
    const encoder = encoding.createEncoder()
    const type = this.pick([0, 1])
    encoding.writeVarUint(encoder, type)
    if (type === 0) {
      encoding.writeVarUint(encoder, this.int(0, 2))
    }
    const payload = this.bytes(this.int(0, 256))
    if (this.chance(0.5)) {
      encoding.writeUint8Array(encoder, new Uint8Array(this.pick(HUGE_VARINTS)))
      encoding.writeUint8Array(encoder, payload)
    } else {
      encoding.writeVarUint8Array(encoder, payload)
    }
    return encoding.toUint8Array(encoder)
  }

  /** An awareness update publishing many client ids at once, with odd clocks and states. */
  private manyPresences(): Uint8Array {
    const inner = encoding.createEncoder()
    const count = this.int(1, 300)
    encoding.writeVarUint(inner, count)
    for (let i = 0; i < count; i++) {
      encoding.writeVarUint(inner, this.int(0, 2 ** 31 - 1))
      encoding.writeVarUint(inner, this.pick([0, 1, 2 ** 31, 2 ** 32 - 1]))
      encoding.writeVarString(
        inner,
        this.pick([
          'null',
          '{}',
          '{"user":{"name":"省长"}}',
          '[]',
          '"x"',
          '{"a":' + '['.repeat(50),
        ]),
      )
    }
    const outer = encoding.createEncoder()
    encoding.writeVarUint(outer, 1)
    encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
    return encoding.toUint8Array(outer)
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
