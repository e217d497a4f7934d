/** Guards for reading loosely typed values out of Y.Maps written by other clients. */
import * as Y from 'yjs'

/** @returns the string at `key`, or `fallback` when absent or not a string */
export function readString(map: Y.Map<unknown>, key: string, fallback = ''): string {
  const value = map.get(key)
  return typeof value === 'string' ? value : fallback
}

/** @returns the number at `key`, or 0 */
export function readNumber(map: Y.Map<unknown>, key: string): number {
  const value = map.get(key)
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}

/** @returns the strings of the array at `key` (other entries dropped) */
export function readStrings(map: Y.Map<unknown>, key: string): string[] {
  const value = map.get(key)
  const list = value instanceof Y.Array ? value.toArray() : Array.isArray(value) ? value : []
  return list.filter((entry): entry is string => typeof entry === 'string')
}

/** @returns the child Y.Maps of a map of records (entries of another shape are skipped) */
export function recordMaps(root: Y.Map<unknown>): Y.Map<unknown>[] {
  const records: Y.Map<unknown>[] = []
  root.forEach((value) => {
    if (value instanceof Y.Map) {
      records.push(value)
    }
  })
  return records
}
