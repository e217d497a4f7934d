import { describe, expect, test } from 'vitest'
import { busyRows, overlaps, shownHours } from '../../../../renderer/src/features/meetings/freeBusy'

const at = (clock: string): number => Date.parse(`2026-12-08T${clock}:00+08:00`)
const block = (from: string, to: string) => ({
  start: `2026-12-08T${from}:00+08:00`,
  end: `2026-12-08T${to}:00+08:00`,
})

describe('free/busy blocks', () => {
  test('intervals are half-open: back to back is no conflict', () => {
    expect(overlaps(at('09:00'), at('10:00'), at('10:00'), at('11:00'))).toBe(false)
    expect(overlaps(at('09:00'), at('10:01'), at('10:00'), at('11:00'))).toBe(true)
  })

  test('blocks are placed on the window, clipped, and flagged when they meet the proposed time', () => {
    const window = { from: at('08:00'), to: at('18:00') }
    const rows = busyRows(
      {
        u1: [block('07:00', '09:00'), block('13:00', '14:00')],
        u2: [block('10:00', '11:00')],
        u3: [block('20:00', '21:00')],
      },
      ['u1', 'u2', 'u3', 'nobody'],
      window,
      { start: at('13:30'), end: at('14:30') },
    )
    expect(rows.map((row) => row.conflict)).toEqual([true, false, false, false])
    const [first, second] = rows[0]?.blocks ?? []
    expect(first).toMatchObject({ left: 0, width: 0.1, conflict: false })
    expect(second?.conflict).toBe(true)
    expect(second?.left).toBeCloseTo(0.5)
    expect(rows[2]?.blocks).toEqual([])
    expect(rows[3]?.blocks).toEqual([])
  })

  test('without a proposed time nothing conflicts', () => {
    const rows = busyRows(
      { u1: [block('09:00', '10:00')] },
      ['u1'],
      { from: at('08:00'), to: at('18:00') },
      null,
    )
    expect(rows[0]?.conflict).toBe(false)
  })

  test('an evening meeting widens the drawn hours, and its collision is flagged', () => {
    const day = at('00:00')
    expect(shownHours(day, {}, null)).toEqual({ from: 7, to: 21 })
    const busy = { u1: [block('22:00', '23:00')] }
    const proposed = { start: at('22:00'), end: at('23:00') }
    expect(shownHours(day, busy, proposed)).toEqual({ from: 7, to: 23 })
    expect(shownHours(day, { u1: [block('06:30', '07:30')] }, null)).toEqual({ from: 6, to: 21 })
    // Flagged even on a window that does not reach it (it used to be dropped with the block).
    const rows = busyRows(busy, ['u1'], { from: at('07:00'), to: at('21:00') }, proposed)
    expect(rows[0]?.conflict).toBe(true)
    expect(rows[0]?.blocks).toEqual([])
  })
})
