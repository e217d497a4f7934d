/** Types of scripts/relayProcess.mjs: how the built relay's Node process runs. */
export declare const SOURCE_MAPS: string
export declare const SEMI_SPACE_MB: number
/** @returns the Node arguments before the relay's entry point. */
export declare function relayNodeArgs(env?: NodeJS.ProcessEnv): string[]
/** @returns the environment the relay adds to the caller's. */
export declare function relayEnv(compileCache: string): Record<string, string>
