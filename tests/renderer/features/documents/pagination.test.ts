import { describe, expect, test } from 'vitest'
import { planPages } from '../../../../renderer/src/features/documents/gongwen/pageview/pagination'
import type { FlowBlock } from '../../../../renderer/src/features/documents/gongwen/pageview/pagination'

const PAGE = 220
const LINE = 10

/** A paragraph of `lines` grid lines starting at `top`; its lines are identified by their index. */
function paragraph(top: number, lines: number): FlowBlock<number> {
  return {
    top,
    bottom: top + lines * LINE,
    lineBelow: (limit) => {
      for (let index = 0; index < lines; index++) {
        if (top + (index + 1) * LINE > limit) {
          return { top: top + index * LINE, line: index }
        }
      }
      return null
    },
  }
}

describe('page view pagination', () => {
  test('a paragraph across the foot of a page breaks between two lines, with nothing left blank', () => {
    const plan = planPages([{ top: 0, bottom: 100 }, paragraph(100, 30)], PAGE)
    expect(plan.breaks).toEqual([{ block: 1, line: 12, filler: 0 }])
    expect(plan.pages).toBe(2)
  })

  test('a long paragraph breaks once a page, each page holding 22 lines', () => {
    const plan = planPages([paragraph(0, 60)], PAGE)
    expect(plan.breaks.map((page) => page.line)).toEqual([22, 44])
    expect(plan.pages).toBe(3)
  })

  test('a paragraph whose first line would cross the foot goes over whole', () => {
    // Off the grid (after a table): the first line spans the page's foot.
    const plan = planPages([{ top: 0, bottom: 215 }, paragraph(215, 3)], PAGE)
    expect(plan.breaks).toEqual([{ block: 1, line: null, filler: 5 }])
  })

  test('a table goes whole to the next page; a taller-than-a-page one grows its page instead', () => {
    const moved = planPages([paragraph(0, 15), { top: 150, bottom: 250 }, paragraph(250, 2)], PAGE)
    expect(moved.breaks).toEqual([{ block: 1, line: null, filler: 70 }])
    const tall = planPages([{ top: 0, bottom: 300 }, paragraph(300, 2)], PAGE)
    // Its page ends at its bottom; the next block starts a page.
    expect(tall.breaks).toEqual([{ block: 1, line: null, filler: 0 }])
    expect(tall.pages).toBe(2)
  })

  test('the 版记 sits at the foot of the last page, or of a page of its own when it does not fit', () => {
    const fits = planPages([paragraph(0, 30), { top: 300, bottom: 320, atFoot: true }], PAGE)
    expect(fits.breaks).toHaveLength(1)
    // Page 2 holds 8 lines (80); the 版记 (20) ends 2 above its foot (220).
    expect(fits.foot).toEqual({ block: 1, height: PAGE - 80 - 20 - 2 })
    const over = planPages([paragraph(0, 21), { top: 210, bottom: 240, atFoot: true }], PAGE)
    expect(over.breaks).toEqual([{ block: 1, line: null, filler: 10 }])
    expect(over.foot).toEqual({ block: 1, height: PAGE - 30 - 2 })
    expect(over.pages).toBe(2)
  })

  test('off the grid, a page ends with the blank left by the line that went over; later pages fill whole', () => {
    const blocks = [{ top: 0, bottom: 95 }, paragraph(95, 40), { top: 495, bottom: 515 }]
    expect(planPages(blocks, PAGE).breaks).toEqual([
      { block: 1, line: 12, filler: 5 },
      { block: 1, line: 34, filler: 0 },
    ])
  })
})
