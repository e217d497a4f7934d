import { describe, expect, it } from 'vitest'
import { ApprovalOutbox, outboxKey } from '../../../renderer/src/features/approvals/model/outbox'
import type {
  OutboxItem,
  OutboxShelf,
  SendResult,
} from '../../../renderer/src/features/approvals/model/outbox'

function memoryShelf(): OutboxShelf & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    read: (key) => data.get(key) ?? null,
    write: (key, value) => void data.set(key, value),
  }
}

function item(nonce: string, approvalId = 'ap1'): OutboxItem {
  return {
    approvalId,
    actorId: 'u-a',
    queuedAt: '2026-12-07T03:00:00.000Z',
    request: {
      action: {
        approvalId,
        type: 'approve',
        stageId: 'cs',
        nonce,
        createdAt: '2026-12-07T03:00:00.000Z',
      },
      deviceId: 'dev1',
      signature: 'ab'.repeat(36),
    },
  }
}

describe('approvals outbox', () => {
  it('keeps items per account, in order, once per nonce, and survives a reload', () => {
    const shelf = memoryShelf()
    const outbox = new ApprovalOutbox(shelf, 'u-a')
    outbox.add(item('n-1'))
    outbox.add(item('n-2', 'ap2'))
    outbox.add(item('n-1'))
    expect(outbox.list().map((i) => i.request.action.nonce)).toEqual(['n-1', 'n-2'])
    expect(outbox.list('ap2').map((i) => i.request.action.nonce)).toEqual(['n-2'])
    expect(new ApprovalOutbox(shelf, 'u-a').list()).toHaveLength(2)
    expect(new ApprovalOutbox(shelf, 'u-b').list()).toEqual([])
    expect(shelf.data.has(outboxKey('u-a'))).toBe(true)
  })

  it('sends in order and stops at the first item the relay cannot be reached for', async () => {
    const outbox = new ApprovalOutbox(memoryShelf(), 'u-a')
    outbox.add(item('n-1'))
    outbox.add(item('n-2'))
    outbox.add(item('n-3'))
    const sent: string[] = []
    const answers: SendResult[] = [{ kind: 'applied' }, { kind: 'offline' }]
    const reports = await outbox.flush(async (next) => {
      sent.push(next.request.action.nonce)
      return answers.shift() ?? { kind: 'applied' }
    })
    expect(sent).toEqual(['n-1', 'n-2'])
    expect(reports.map((r) => [r.item.request.action.nonce, r.result.kind])).toEqual([
      ['n-1', 'applied'],
    ])
    expect(outbox.list().map((i) => i.request.action.nonce)).toEqual(['n-2', 'n-3'])
  })

  it('reports superseded and refused items and drops them; a replayed one counts as delivered', async () => {
    const outbox = new ApprovalOutbox(memoryShelf(), 'u-a')
    outbox.add(item('n-1'))
    outbox.add(item('n-2'))
    outbox.add(item('n-3'))
    const answers: SendResult[] = [
      { kind: 'superseded' },
      { kind: 'refused', code: 'replayed', message: '' },
      { kind: 'refused', code: 'not_assignee', message: '您不是本环节的审批人' },
    ]
    const reports = await outbox.flush(async () => answers.shift() ?? { kind: 'offline' })
    expect(reports.map((r) => r.result.kind)).toEqual(['superseded', 'refused'])
    expect(outbox.list()).toEqual([])
  })

  it('joins a flush already running instead of sending twice', async () => {
    const outbox = new ApprovalOutbox(memoryShelf(), 'u-a')
    outbox.add(item('n-1'))
    let calls = 0
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const send = async (): Promise<SendResult> => {
      calls += 1
      await gate
      return { kind: 'applied' }
    }
    const first = outbox.flush(send)
    const second = outbox.flush(send)
    release()
    expect(await first).toBe(await second)
    expect(calls).toBe(1)
  })

  it('ignores a corrupt store', () => {
    const shelf = memoryShelf()
    shelf.data.set(outboxKey('u-a'), '{not json')
    expect(new ApprovalOutbox(shelf, 'u-a').list()).toEqual([])
    shelf.data.set(outboxKey('u-a'), JSON.stringify([{ approvalId: 1 }, item('n-9')]))
    expect(new ApprovalOutbox(shelf, 'u-a').list()).toHaveLength(1)
  })
})
