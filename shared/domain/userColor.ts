/** The colour that stands for a person wherever several people appear: carets, authors, 留痕. */

const PALETTE = [
  '#c0392b',
  '#2471a3',
  '#1e8449',
  '#b9770e',
  '#7d3c98',
  '#117a65',
  '#a04000',
  '#2e4053',
] as const

/** @returns a stable colour for a user id. */
export function colorFor(userId: string): string {
  let hash = 0
  for (let i = 0; i < userId.length; i++) {
    hash = (hash * 31 + userId.charCodeAt(i)) >>> 0
  }
  return PALETTE[hash % PALETTE.length] ?? PALETTE[0]
}
