/** A replay command line that cannot be run. Exit code 2. */
export class ReplayUsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayUsageError';
  }
}
