/** What the importer does after a chunk: read on, or hand the rest of the file to a fresh invocation. */
export type NextStep = 'continue' | 'hand-off';

/**
 * Reads on while more than the margin is left before the function's timeout; with less, the rest of the file
 * goes to a fresh invocation. The margin covers one more chunk (at most 5 MiB at the stream's rate, plus
 * PutRecords retries) and the hand-off itself, so an invocation never times out mid-chunk.
 *
 * @example
 * ```ts
 * decideHandOff({ timeLeftMs: 45_000, marginMs: 60_000 }); // 'hand-off'
 * ```
 */
export function decideHandOff(options: { timeLeftMs: number; marginMs: number }): NextStep {
  return options.timeLeftMs > options.marginMs ? 'continue' : 'hand-off';
}
