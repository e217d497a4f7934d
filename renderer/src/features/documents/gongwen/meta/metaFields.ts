/** Small helpers of the 公文要素 form: field ids (for 定位 from the checker) and list parsing. */
import type { MetaKey } from '../../../../../../shared/gongwen/meta'

/** Transaction origin of meta changes (not tracked by the editor's undo). */
export const META_ORIGIN = 'gongwen-meta'

/** @returns the DOM id of a form field (an attachment row when `item` is given) */
export function metaFieldId(key: MetaKey, item?: number): string {
  return item === undefined ? `gw-meta-${key}` : `gw-meta-${key}-${item}`
}

/** @returns the names of a 签发人 line: separated by 、 , ， ; ； or spaces, blanks dropped */
export function splitSigners(text: string): string[] {
  return text
    .split(/[、,，;；\s]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '')
}
