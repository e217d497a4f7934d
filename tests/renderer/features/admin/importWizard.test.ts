import { describe, expect, test } from 'vitest'
import {
  canCommit,
  importFormat,
  importReducer,
  initialImportState,
  isPolling,
  progressPercent,
  stepIndex,
} from '../../../../renderer/src/features/admin/importWizard'
import type {
  ImportReport,
  ImportState,
} from '../../../../renderer/src/features/admin/importWizard'

const report: ImportReport = {
  id: 'imp1',
  total: 1000,
  valid: 980,
  errors: [{ row: 9, username: 'imp7', reason: '单位代码不存在：nowhere' }],
}

function validated(): ImportState {
  let state = importReducer(initialImportState(), { type: 'upload', fileName: 'a.csv' })
  state = importReducer(state, { type: 'validated', report })
  return state
}

describe('the import wizard', () => {
  test('knows CSV and XLSX files by name, in any case', () => {
    expect(importFormat('账号.CSV')).toBe('csv')
    expect(importFormat('accounts.xlsx')).toBe('xlsx')
    expect(importFormat('accounts.xls')).toBeNull()
    expect(importFormat('csv')).toBeNull()
  })

  test('a file goes through upload to a validation report that can be committed', () => {
    const state = validated()
    expect(state).toMatchObject({ step: 'validated', fileName: 'a.csv', report })
    expect(canCommit(state)).toBe(true)
    expect(stepIndex(state)).toBe(1)
    expect(isPolling(state)).toBe(false)
  })

  test('a refused upload returns to the file choice with the reason', () => {
    let state = importReducer(initialImportState(), { type: 'upload', fileName: 'a.csv' })
    state = importReducer(state, { type: 'rejected', problem: '缺少必需的列' })
    expect(state).toEqual({ step: 'choose', problem: '缺少必需的列' })
  })

  test('a report without valid rows cannot be committed', () => {
    let state = importReducer(initialImportState(), { type: 'upload', fileName: 'a.csv' })
    state = importReducer(state, { type: 'validated', report: { ...report, valid: 0 } })
    expect(canCommit(state)).toBe(false)
  })

  test('commit polls until done, with progress that never goes backwards', () => {
    let state = importReducer(validated(), {
      type: 'commitStarted',
      progress: { id: 'imp1', status: 'running', total: 980, done: 0 },
    })
    expect(isPolling(state)).toBe(true)
    expect(progressPercent(state)).toBe(0)
    state = importReducer(state, {
      type: 'progress',
      progress: { id: 'imp1', status: 'running', total: 980, done: 490 },
    })
    expect(progressPercent(state)).toBe(50)
    // A late answer of an earlier poll is ignored.
    state = importReducer(state, {
      type: 'progress',
      progress: { id: 'imp1', status: 'running', total: 980, done: 0 },
    })
    expect(progressPercent(state)).toBe(50)
    state = importReducer(state, {
      type: 'progress',
      progress: { id: 'imp1', status: 'done', total: 980, done: 980 },
    })
    expect(state).toMatchObject({ step: 'done', created: 980 })
    expect(isPolling(state)).toBe(false)
    expect(progressPercent(state)).toBe(100)
    state = importReducer(state, { type: 'codesTaken' })
    expect(state.step).toBe('finished')
    expect(stepIndex(state)).toBe(4)
  })

  test('a commit the server refuses keeps the report and says why', () => {
    const state = importReducer(validated(), { type: 'commitRefused', problem: '该导入已提交' })
    expect(state).toMatchObject({ step: 'validated', report, problem: '该导入已提交' })
  })

  test('a failed run reports how far it got', () => {
    let state = importReducer(validated(), {
      type: 'commitStarted',
      progress: { id: 'imp1', status: 'running', total: 980, done: 0 },
    })
    state = importReducer(state, {
      type: 'progress',
      progress: { id: 'imp1', status: 'failed', total: 980, done: 245 },
    })
    expect(state).toMatchObject({ step: 'failed', done: 245 })
    expect(progressPercent(state)).toBe(25)
  })

  test('an import left while running is resumed where the server is', () => {
    const running = importReducer(initialImportState(), {
      type: 'resume',
      fileName: 'a.csv',
      report,
      progress: { id: 'imp1', status: 'running', total: 980, done: 100 },
    })
    expect(running).toMatchObject({ step: 'committing', done: 100, total: 980 })
    const done = importReducer(initialImportState(), {
      type: 'resume',
      fileName: 'a.csv',
      report,
      progress: { id: 'imp1', status: 'done', total: 980, done: 980 },
    })
    expect(done).toMatchObject({ step: 'done', created: 980 })
  })

  test('events that do not fit the step change nothing, and reset starts over', () => {
    const state = validated()
    expect(importReducer(state, { type: 'codesTaken' })).toBe(state)
    expect(importReducer(state, { type: 'upload', fileName: 'b.csv' })).toBe(state)
    expect(importReducer(state, { type: 'reset' })).toEqual(initialImportState())
  })
})
