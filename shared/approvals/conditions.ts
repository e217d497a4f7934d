/**
 * Evaluates a stage's conditions on form data. Pure and total: a missing field or a value of the
 * wrong type makes the comparison false (so an optional stage stays out), never an exception.
 *
 * @example
 *   conditionsHold([{ field: 'days', op: '>', value: 3 }], { days: 5 }) // true
 */
import type { Condition } from './flowTemplate'

type Comparable = string | number

function comparable(value: unknown): value is Comparable {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string'
}

function compare(left: unknown, op: '>' | '>=' | '<' | '<=', right: unknown): boolean {
  // Numbers with numbers, strings with strings (ISO dates compare as strings); never mixed.
  if (!comparable(left) || !comparable(right) || typeof left !== typeof right) {
    return false
  }
  switch (op) {
    case '>':
      return left > right
    case '>=':
      return left >= right
    case '<':
      return left < right
    case '<=':
      return left <= right
  }
}

/** @returns whether one condition holds on the data. */
export function conditionHolds(
  condition: Condition,
  data: Readonly<Record<string, unknown>>,
): boolean {
  const value = Object.hasOwn(data, condition.field) ? data[condition.field] : undefined
  switch (condition.op) {
    case '>':
    case '>=':
    case '<':
    case '<=':
      return compare(value, condition.op, condition.value)
    case '==':
      return value !== undefined && value === condition.value
    case '!=':
      return value !== condition.value
    case 'in':
      return (
        Array.isArray(condition.value) &&
        comparable(value) &&
        condition.value.some((item) => item === value)
      )
    case 'nonEmpty':
      if (typeof value === 'string' || Array.isArray(value)) {
        return value.length > 0
      }
      return typeof value === 'number' && Number.isFinite(value)
  }
}

/** @returns whether every condition holds (an absent or empty list holds). */
export function conditionsHold(
  conditions: readonly Condition[] | undefined,
  data: Readonly<Record<string, unknown>>,
): boolean {
  return (conditions ?? []).every((condition) => conditionHolds(condition, data))
}
