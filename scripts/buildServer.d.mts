/** Types of scripts/buildServer.mjs, for the tests that build the relay themselves. */
/** Entry points: the relay, its worker threads, and the operators' scripts. */
export declare const SERVER_ENTRIES: Readonly<Record<string, string>>
/** Builds every entry into `outdir`. */
export declare function buildServer(outdir: string): Promise<void>
