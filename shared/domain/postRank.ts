/**
 * The order of people within a unit, as a 通讯录 lists them: by the level of their post (职务), the
 * unit's leader first, then deputies, 巡视员/调研员, heads of 处 and 科 and their deputies, and then
 * the staff; within a level, by pinyin. A title the rules do not know sits after 科员.
 *
 * @example
 *   postRank('局长') < postRank('副局长') // true
 *   postRank('副处长') < postRank('一级主任科员') // true
 */

/** Ranks by title, first match wins; deputies (副…) rank just below their principal. */
const RULES: readonly (readonly [RegExp, number])[] = [
  [/(巡视员)$/, 30],
  [/(调研员)$/, 32],
  [/主任科员$/, 60],
  [/(科员|办事员)$/, 62],
  [
    /(省长|市长|州长|县长|区长|镇长|乡长|厅长|局长|委员长|主任|书记|部长|主席|院长|秘书长|署长)$/,
    10,
  ],
  [/处长$/, 40],
  [/(科长|所长|股长|站长|队长)$/, 50],
]

const UNKNOWN = 70
const DEPUTY_STEP = 1

/** @returns the level of a post title (smaller first) */
export function postRank(title: string): number {
  const trimmed = title.trim()
  const deputy = /^(常务|第一)?副/.test(trimmed)
  const rule = RULES.find(([pattern]) => pattern.test(trimmed))
  if (rule === undefined) {
    return UNKNOWN
  }
  // 一级调研员 before 二级调研员, 一级主任科员 before 四级主任科员.
  const grade = /^([一二三四])级/.exec(trimmed)?.[1]
  const step = grade === undefined ? 0 : '一二三四'.indexOf(grade) * 0.2
  return rule[1] + (deputy ? DEPUTY_STEP : 0) + step
}
