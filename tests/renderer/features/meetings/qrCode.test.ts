/**
 * The sign-in QR code: the SVG path draws exactly the generator's dark modules for the link, the
 * code's size fits the link's length, its format information says error correction M, and a
 * rotated token draws a different code.
 */
import { describe, expect, test } from 'vitest'
import {
  QR_MARGIN,
  qrMatrix,
  qrPath,
  qrSide,
} from '../../../../renderer/src/features/meetings/qrCode'

const LINK =
  'http://127.0.0.1:8080/meetings/Zk3v9Qm2xT/checkin?token=1767225600000.3f1c9a7be2d84c0f9a1e5b7c2d3e4f50'

/** @returns the cells a path of `M x y h n v1 h-n z` runs fills. */
function cellsOf(path: string): Set<string> {
  const cells = new Set<string>()
  for (const match of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, run, back] = match.slice(1).map(Number) as [number, number, number, number]
    expect(back).toBe(run)
    for (let i = 0; i < run; i += 1) {
      cells.add(`${y - QR_MARGIN},${x + i - QR_MARGIN}`)
    }
  }
  return cells
}

/** The 15 format bits around the top-left finder, unmasked (ISO/IEC 18004 §7.9). */
function formatBits(dark: readonly (readonly boolean[])[]): number {
  const at = (row: number, col: number): number => (dark[row]?.[col] === true ? 1 : 0)
  const positions: [number, number][] = [
    [8, 0],
    [8, 1],
    [8, 2],
    [8, 3],
    [8, 4],
    [8, 5],
    [8, 7],
    [8, 8],
    [7, 8],
    [5, 8],
    [4, 8],
    [3, 8],
    [2, 8],
    [1, 8],
    [0, 8],
  ]
  let bits = 0
  for (const [row, col] of positions) {
    bits = (bits << 1) | at(row, col)
  }
  return bits ^ 0b101010000010010
}

describe('the sign-in QR code', () => {
  test('the path draws exactly the dark modules of the link’s code', () => {
    const matrix = qrMatrix(LINK)
    const dark = new Set<string>()
    matrix.dark.forEach((cells, row) =>
      cells.forEach((on, col) => {
        if (on) {
          dark.add(`${row},${col}`)
        }
      }),
    )
    expect(dark.size).toBeGreaterThan(matrix.size * 4)
    expect(cellsOf(qrPath(matrix))).toEqual(dark)
    expect(qrSide(matrix)).toBe(matrix.size + 8)
  })

  test('its size fits the link (byte mode, level M) and its format says M', () => {
    const matrix = qrMatrix(LINK)
    // 102 bytes at level M need version 6 (up to 106 bytes; version 5 holds 84): 4 × 6 + 17 modules a side.
    expect(LINK.length).toBe(102)
    expect(matrix.size).toBe(41)
    // Finder patterns in three corners.
    for (const [row, col] of [
      [0, 0],
      [0, matrix.size - 7],
      [matrix.size - 7, 0],
    ] as const) {
      expect(matrix.dark[row]?.slice(col, col + 7)).toEqual(Array(7).fill(true))
    }
    // Error correction level M is 00 in the format's top two bits.
    expect(formatBits(matrix.dark) >> 13).toBe(0b00)
    expect(qrMatrix('http://a/b').size).toBe(21)
  })

  test('a rotated token draws another code', () => {
    const next = LINK.replace('3f1c9a7b', '8d0e4b21')
    expect(qrPath(qrMatrix(next))).not.toBe(qrPath(qrMatrix(LINK)))
    expect(qrPath(qrMatrix(LINK))).toBe(qrPath(qrMatrix(LINK)))
  })
})
