/**
 * The org tree (GET /api/v1/units), shared by 管理 and 通讯录. Cached in localStorage so the
 * directory can be browsed offline.
 */
import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { ApiUnit } from '../../../shared/api'
import { UNIT_KINDS } from '../../../shared/domain/org'
import { call } from '../api/call'
import { listUnits } from '../../../shared/http/routes/org'
import { isRecord, readCache, writeCache } from './localCache'
import { buildUnitTree } from './orgTree'

const UNITS_KEY = 'qilu:units'

/** @returns whether `value` looks like an ApiUnit. */
export function isApiUnit(value: unknown): value is ApiUnit {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    (value.parentId === null || typeof value.parentId === 'string') &&
    typeof value.kind === 'string' &&
    (UNIT_KINDS as readonly string[]).includes(value.kind) &&
    typeof value.name === 'string' &&
    typeof value.code === 'string' &&
    typeof value.sortOrder === 'number' &&
    Array.isArray(value.path) &&
    value.path.every((id) => typeof id === 'string')
  )
}

function isUnitList(value: unknown): value is ApiUnit[] {
  return Array.isArray(value) && value.every(isApiUnit)
}

/** The units store. */
export const useUnitsStore = defineStore('units', () => {
  const units = shallowRef<ApiUnit[]>(readCache(UNITS_KEY, isUnitList) ?? [])
  const loaded = ref(false)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  const tree = computed(() => buildUnitTree(units.value))
  const byId = computed(() => new Map(units.value.map((unit) => [unit.id, unit])))

  /** Reloads the tree; offline, the cached one stays and `error` is set. */
  async function load(): Promise<void> {
    loading.value = true
    try {
      const response = await call(listUnits)
      units.value = response.units
      writeCache(UNITS_KEY, response.units)
      loaded.value = true
      error.value = null
    } catch (caught) {
      error.value = caught
    } finally {
      loading.value = false
    }
  }

  return { units, loaded, loading, error, tree, byId, load }
})
