/**
 * Restoring an old version as a new change on top: the live `body` and `meta` are edited until they
 * equal the old ones. Blocks both versions share are kept (so the 留痕 of a restore shows only what
 * really changed back), the others are deleted or re-inserted as copies. Nothing is rewritten:
 * every earlier item stays in the history.
 */
import * as Y from 'yjs'

/** What y-prosemirror puts in a fragment: elements and text (it never writes hooks). */
type Block = Y.XmlElement | Y.XmlText

/** Above this many cell comparisons the diff gives up and replaces the whole body. */
const MAX_DIFF_CELLS = 4_000_000

function blockKey(block: Block): string {
  const kind = block instanceof Y.XmlElement ? 'element' : 'text'
  return `${kind}:${block.toString()}`
}

type Step = { keep: true } | { delete: true } | { insert: Block }

/** Longest common subsequence of block keys, as edit steps over the live body. */
function diffBlocks(
  live: readonly string[],
  old: readonly Block[],
  oldKeys: readonly string[],
): Step[] {
  const n = live.length
  const m = old.length
  if (n * m > MAX_DIFF_CELLS) {
    return [
      ...live.map((): Step => ({ delete: true })),
      ...old.map((block): Step => ({ insert: block })),
    ]
  }
  // lengths[i][j]: LCS of live[i..] and old[j..], in one flat array.
  const width = m + 1
  const lengths = new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        live[i] === oldKeys[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0)
    }
  }
  const steps: Step[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    const block = old[j]
    if (i < n && j < m && live[i] === oldKeys[j]) {
      steps.push({ keep: true })
      i++
      j++
    } else if (
      j < m &&
      block !== undefined &&
      (i >= n || (lengths[i * width + j + 1] ?? 0) >= (lengths[(i + 1) * width + j] ?? 0))
    ) {
      steps.push({ insert: block })
      j++
    } else {
      steps.push({ delete: true })
      i++
    }
  }
  return steps
}

function isBlock(value: unknown): value is Block {
  return value instanceof Y.XmlElement || value instanceof Y.XmlText
}

/** Makes `live` equal to `old` (a fragment of another document). Call inside a transaction. */
export function restoreFragment(live: Y.XmlFragment, old: Y.XmlFragment): void {
  const oldBlocks = old.toArray().filter(isBlock)
  const liveKeys = live.toArray().filter(isBlock).map(blockKey)
  let position = 0
  for (const step of diffBlocks(liveKeys, oldBlocks, oldBlocks.map(blockKey))) {
    if ('keep' in step) {
      position++
    } else if ('delete' in step) {
      live.delete(position, 1)
    } else {
      live.insert(position, [step.insert.clone()])
      position++
    }
  }
}

/** Makes the plain values of `live` equal to those of `old`. Call inside a transaction. */
export function restoreMap(live: Y.Map<unknown>, old: Y.Map<unknown>): void {
  for (const key of [...live.keys()]) {
    if (!old.has(key)) {
      live.delete(key)
    }
  }
  for (const [key, value] of old.entries()) {
    const plain = value instanceof Y.AbstractType ? value.toJSON() : value
    const current = live.get(key)
    const currentPlain = current instanceof Y.AbstractType ? current.toJSON() : current
    if (JSON.stringify(plain) !== JSON.stringify(currentPlain)) {
      live.set(key, plain)
    }
  }
}

/**
 * Builds the restore of `oldState` over `liveState` in a scratch document with a client id of its
 * own, so the change can be attributed to the user who restored.
 * @returns the update to apply to the live room, the scratch client id and the deletions it makes.
 */
export function buildRestore(
  liveState: Uint8Array,
  oldState: Uint8Array,
): {
  update: Uint8Array
  clientId: number
  deletions: ReturnType<typeof Y.createDeleteSet>
  title: unknown
} {
  const old = new Y.Doc({ gc: false })
  const scratch = new Y.Doc({ gc: false })
  try {
    Y.applyUpdate(old, oldState)
    Y.applyUpdate(scratch, liveState)
    const before = Y.encodeStateVector(scratch)
    let deletions = Y.createDeleteSet()
    scratch.on('afterTransaction', (transaction: Y.Transaction) => {
      deletions = transaction.deleteSet
    })
    scratch.transact(() => {
      restoreFragment(scratch.getXmlFragment('body'), old.getXmlFragment('body'))
      restoreMap(scratch.getMap('meta'), old.getMap('meta'))
    })
    return {
      update: Y.encodeStateAsUpdate(scratch, before),
      clientId: scratch.clientID,
      deletions,
      title: old.getMap('meta').get('title'),
    }
  } finally {
    old.destroy()
    scratch.destroy()
  }
}
