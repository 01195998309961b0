/** Base class of the aggregator's errors. */
export class AggregatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AggregatorError';
  }
}

/** A Kinesis sequence or subsequence number that cannot be turned into an ordered position. */
export class PositionError extends AggregatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PositionError';
  }
}

/** An event whose fields cannot be aggregated (bad time, bad revenue); the record is quarantined. */
export class EventFieldError extends AggregatorError {
  /** Reason code for the quarantine message. */
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventFieldError';
    this.reason = reason;
  }
}
