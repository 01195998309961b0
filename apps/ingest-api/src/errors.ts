/**
 * A request refused as a whole, before any of its events is considered: the HTTP status, a machine-readable code
 * and a message that says why and what the limit is.
 */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra answer headers, e.g. `allow` for a 405. */
    readonly headers: Record<string, string> = {},
    /** Extra fields of the answer body, e.g. the supported media types of a 415. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
