/**
 * Search keys of a Chinese name: full pinyin and initials, so 张伟 is found by "zhangwei" and "zw".
 * pinyin-pro and its dictionary (several MB) are loaded when the first name is indexed, not when
 * the relay starts: only account creation, renames and imports need them.
 */
import type { pinyin as convert } from 'pinyin-pro'

/** The pinyin keys of a display name (lower case, no tones, no spaces; non-Han characters kept). */
export interface NameIndex {
  readonly pinyin: string
  readonly initials: string
}

// Names repeat a great deal across a province (张伟, 王芳 …), and pinyin conversion dominates a
// bulk import's CPU time, so recent results are kept. The cache is bounded and simply restarts.
const CACHE_LIMIT = 50_000
const cache = new Map<string, NameIndex>()

type Pinyin = typeof convert
let converter: Promise<Pinyin> | null = null

/** @returns the pinyin keys of `name`, reading the first character as a surname (单 → shan). */
export async function nameIndex(name: string): Promise<NameIndex> {
  const cached = cache.get(name)
  if (cached !== undefined) {
    return cached
  }
  converter ??= import('pinyin-pro').then((module) => module.pinyin)
  const pinyin = await converter.catch((error: unknown) => {
    // A failed load is tried again on the next name rather than remembered.
    converter = null
    throw error
  })
  if (cache.size >= CACHE_LIMIT) {
    cache.clear()
  }
  const computed = computeNameIndex(pinyin, name)
  cache.set(name, computed)
  return computed
}

function computeNameIndex(pinyin: Pinyin, name: string): NameIndex {
  const syllables = pinyin(name, {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    nonZh: 'consecutive',
  })
  const parts = syllables
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s.length > 0)
  return { pinyin: parts.join(''), initials: parts.map((p) => p[0]).join('') }
}
