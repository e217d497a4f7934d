/**
 * The approvals engine (DESIGN §4, §7): one import for the relay and the renderer. The internal
 * modules of the fold (run, apply, rules, fold) are not re-exported.
 *
 * @example
 *   import { judge, reduce, resolveFlow, BUILTIN_FLOWS } from '../shared/approvals'
 */
export * from './types'
export * from './actions'
export * from './assigneeSpec'
export * from './flowTemplate'
export * from './conditions'
export * from './directory'
export * from './resolveStage'
export * from './resolve'
export * from './adhocFlow'
export * from './successor'
export * from './builtinFlows'
export * from './formDefinition'
export * from './formValidation'
export * from './builtinForms'
export * from './delegation'
export * from './stageRules'
export * from './state'
export * from './verdicts'
export * from './reduce'
export * from './judge'
export * from './deadlines'
export * from './canonical'
export * from './actionSchema'
export * from './documentNumber'
