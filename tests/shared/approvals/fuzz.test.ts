import { describe, expect, test } from 'vitest'
import type { ActionDraft } from '../../../shared/approvals/actions'
import { reduce } from '../../../shared/approvals/reduce'
import { Harness, instanceOf } from './fixtures'

/** A small seeded PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const PEOPLE = [
  'clerk',
  'head1',
  'head2',
  'vice',
  'chief',
  'legalHead',
  'rev1',
  'rev2',
  'dep',
  'reg',
  'ccUser',
]
const STAGES = ['start', 'r1', 'c', 'a', 's', 'n', 'seal']

function randomDraft(pick: <T>(items: readonly T[]) => T): [string, ActionDraft] {
  const stageId = pick(STAGES)
  const actor = pick([...PEOPLE, 'system'])
  const onBehalfOf = pick([undefined, undefined, undefined, 'chief', 'head1'])
  const common = { stageId, ...(onBehalfOf !== undefined ? { onBehalfOf } : {}) }
  const type = pick([
    'submit',
    'approve',
    'approve',
    'approve',
    'signoff',
    'signoff',
    'reject',
    'return',
    'transfer',
    'addSigner',
    'withdraw',
    'withdraw',
    'urge',
    'comment',
    'resubmit',
    'number',
    'reassign',
    'reopen',
    'remind',
  ] as const)
  switch (type) {
    case 'return':
      return [actor, { ...common, type, target: { stageId: pick(STAGES) } }]
    case 'transfer':
      return [actor, { ...common, type, target: { userId: pick(PEOPLE) } }]
    case 'addSigner':
      return [
        actor,
        {
          ...common,
          type,
          target: {
            userIds: [pick(PEOPLE)],
            position: pick(['before', 'after', 'parallel'] as const),
          },
        },
      ]
    case 'number':
      return ['system', { stageId, type, target: { documentNumber: '鲁政办发〔2026〕1号' } }]
    case 'reassign':
      return [
        'system',
        { stageId, type, target: { fromUserId: pick(PEOPLE), userId: pick(PEOPLE) } },
      ]
    case 'reopen':
    case 'remind':
      return ['system', { stageId, type }]
    default:
      return [actor, { ...common, type }]
  }
}

describe('random action sequences judged like the relay', () => {
  test('leave a list that reduce re-judges without a single anomaly, deterministically', () => {
    let applied = 0
    let withdrawn = 0
    const statuses = new Set<string>()
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed)
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
      const h = new Harness(
        instanceOf([
          { id: 'r1', mode: 'sequential', assignees: ['head1', 'head2'] },
          { id: 'c', kind: 'countersign', mode: 'all', assignees: ['legalHead', 'rev1', 'rev2'] },
          { id: 'a', mode: 'any', assignees: ['vice', 'head2'] },
          { id: 's', kind: 'signoff', assignees: ['chief'] },
          { id: 'n', kind: 'number', mode: 'any', assignees: ['reg'] },
          { id: 'seal', kind: 'seal', mode: 'any', assignees: ['reg'] },
        ]),
      )
      h.delegations = [
        { from: 'chief', to: 'dep', scope: 'signoff', until: '2027-01-01T00:00:00.000Z' },
        { from: 'head1', to: 'dep', scope: 'all', until: '2027-01-01T00:00:00.000Z' },
      ]
      h.ok('clerk', { type: 'submit', stageId: 'start' })
      for (let attempt = 0; attempt < 150; attempt++) {
        const roll = next()
        const state = h.state()
        const stage = state.stages.find((item) => item.id === state.currentStageId)
        const last = h.actions.filter((a) => a.outcome === 'applied' && a.type !== 'comment').at(-1)
        if (roll < 0.3 && stage !== undefined && state.pending.length > 0) {
          // Someone whose turn it is consents: the flow moves on.
          const type = stage.kind === 'signoff' ? 'signoff' : 'approve'
          h.act(pick(state.pending), { type, stageId: stage.id })
        } else if (roll < 0.4 && last !== undefined) {
          // The last actor thinks again.
          h.act(last.actorId, {
            type: 'withdraw',
            stageId: last.stageId,
            ...(last.onBehalfOf ? { onBehalfOf: last.onBehalfOf } : {}),
          })
        } else {
          const [actor, draft] = randomDraft(pick)
          h.act(actor, draft)
        }
      }
      const state = h.state()
      expect(state.anomalies, `seed ${seed}`).toEqual([])
      expect(reduce(h.instance, JSON.parse(JSON.stringify(h.actions)))).toEqual(state)
      state.actions.forEach((action, index) => {
        const recorded = h.actions[index]?.outcome
        expect(action.effect === 'withdrawn' ? 'applied' : action.effect, `seed ${seed}`).toBe(
          recorded,
        )
      })
      expect(state.status === 'running', `seed ${seed}`).toBe(state.currentStageId !== null)
      statuses.add(state.status)
      applied += state.actions.filter((a) => a.effect === 'applied').length
      withdrawn += state.actions.filter((a) => a.effect === 'withdrawn').length
    }
    // The sequences exercise the rules, not just refusals.
    expect(applied).toBeGreaterThan(1000)
    expect(withdrawn).toBeGreaterThan(200)
    expect([...statuses].sort()).toEqual(['approved', 'rejected', 'running', 'withdrawn'])
  }, 60_000)
})
