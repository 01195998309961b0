import { UsageError } from '../pipeline/errors';

/**
 * A latency model file that cannot be used: unreadable, not JSON, or an entry with a missing, unknown or
 * out-of-range field. A usage error (exit code 2), since the file comes from a command-line flag.
 */
export class LatencyModelError extends UsageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LatencyModelError';
  }
}
