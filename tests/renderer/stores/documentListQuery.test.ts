import { describe, expect, test } from 'vitest'
import type { DocumentSummary } from '../../../shared/api'
import {
  filterLocally,
  highlightRuns,
  isActive,
  queryFromRoute,
  routeFromQuery,
  searchQuery,
} from '../../../renderer/src/stores/documentListQuery'
import { routeUrl } from '../../../shared/http/contract'
import { listDocuments } from '../../../shared/http/routes/documents'

function doc(id: string, title: string, ownerId: string, docType: string | null): DocumentSummary {
  return {
    id,
    title,
    ownerId,
    ownerName: ownerId,
    role: ownerId === 'me' ? 'owner' : 'reader',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    docType,
  }
}

describe('the documents screen query', () => {
  test('it survives the URL: unknown scopes and types are dropped, defaults are left out', () => {
    const query = queryFromRoute({ q: '防汛 值班', filter: 'mine', type: 'notice' })
    expect(query).toEqual({ q: '防汛 值班', filter: 'mine', docType: 'notice' })
    expect(routeFromQuery(query)).toEqual({ q: '防汛 值班', filter: 'mine', type: 'notice' })
    expect(queryFromRoute({ filter: 'everything', type: 'poem' })).toEqual({
      q: '',
      filter: 'all',
      docType: null,
    })
    expect(routeFromQuery({ q: '  ', filter: 'all', docType: null })).toEqual({})
    expect(isActive({ q: ' ', filter: 'all', docType: null })).toBe(false)
    expect(isActive({ q: '', filter: 'shared', docType: null })).toBe(true)
    expect(
      routeUrl(
        listDocuments,
        {},
        searchQuery({ q: ' 防汛 ', filter: 'shared', docType: 'letter' }),
      ),
    ).toBe(
      `/api/v1/documents?q=${encodeURIComponent('防汛')}&filter=shared&docType=letter&limit=100`,
    )
  })

  test('offline, the cached list is filtered by scope, 文种 and every word of the title', () => {
    const list = [
      doc('a', '关于做好防汛值班工作的通知', 'me', 'notice'),
      doc('b', '关于防汛物资的请示', 'other', 'request'),
      doc('c', '值班安排', 'other', null),
    ]
    const ids = (q: string, filter: 'all' | 'mine' | 'shared', docType: string | null): string[] =>
      filterLocally(list, { q, filter, docType }, 'me').map((d) => d.id)
    expect(ids('防汛', 'all', null)).toEqual(['a', 'b'])
    expect(ids('防汛 值班', 'all', null)).toEqual(['a'])
    expect(ids('', 'shared', null)).toEqual(['b', 'c'])
    expect(ids('', 'mine', null)).toEqual(['a'])
    expect(ids('', 'all', 'request')).toEqual(['b'])
    expect(
      filterLocally(list, { q: '值班', filter: 'all', docType: null }, 'me')[0]?.excerpt,
    ).toBeNull()
  })

  test('matches are marked in titles and excerpts, the longest word first, case-insensitively', () => {
    expect(highlightRuns('…各单位要做好防汛值班工作，确保防汛安全…', ['防汛', '防汛值班'])).toEqual(
      [
        { text: '…各单位要做好', match: false },
        { text: '防汛值班', match: true },
        { text: '工作，确保', match: false },
        { text: '防汛', match: true },
        { text: '安全…', match: false },
      ],
    )
    expect(highlightRuns('WPS 与 wps', ['wps'])).toEqual([
      { text: 'WPS', match: true },
      { text: ' 与 ', match: false },
      { text: 'wps', match: true },
    ])
    expect(highlightRuns('通知', [])).toEqual([{ text: '通知', match: false }])
    expect(highlightRuns('', ['通知'])).toEqual([])
  })
})
