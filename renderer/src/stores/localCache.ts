/**
 * Small JSON cache in localStorage, so the shell and the document list render offline. Every read
 * goes through a type guard: the cache is written by older builds too, and a bad entry is dropped.
 */

/** @returns the cached value under `key` when it passes `guard`, else null. */
export function readCache<T>(key: string, guard: (value: unknown) => value is T): T | null {
  const raw = localStorage.getItem(key)
  if (raw === null) {
    return null
  }
  try {
    const value: unknown = JSON.parse(raw)
    return guard(value) ? value : null
  } catch {
    return null
  }
}

/** Stores `value` under `key` (quota errors are ignored: the cache is an optimisation). */
export function writeCache(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Storage full or disabled: the app still works online.
  }
}

/** Removes `key`. */
export function dropCache(key: string): void {
  localStorage.removeItem(key)
}

/** @returns whether `value` is a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** @returns whether `value` is an array of strings. */
export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}
