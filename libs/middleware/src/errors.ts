/** Base class of every error raised by `@shardline/middleware`. */
export class MiddlewareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MiddlewareError';
  }
}

/** A middleware was given options it does not know or cannot use. */
export class MiddlewareOptionsError extends MiddlewareError {
  constructor(message: string) {
    super(message);
    this.name = 'MiddlewareOptionsError';
  }
}

/** The handler asked for the batch before the `kinesisBatch` middleware ran. */
export class BatchNotDecodedError extends MiddlewareError {
  constructor() {
    super('context.batch is missing: add kinesisBatch() to the middleware chain before the handler runs');
    this.name = 'BatchNotDecodedError';
  }
}

/** Sending poison records to the quarantine queue failed; the records are retried instead of lost. */
export class QuarantineError extends MiddlewareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuarantineError';
  }
}
