/** Base class of every error raised by `@shardline/records`. */
export class RecordDecodeError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordDecodeError';
  }
}

/**
 * A KPL aggregated record whose protobuf body is malformed. Used internally and turned into a `KPL_INVALID`
 * rejection; never escapes the public API.
 */
export class KplFormatError extends RecordDecodeError {
  /** Reason code of the resulting rejection. */
  public readonly reason = 'KPL_INVALID';

  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KplFormatError';
  }
}

/**
 * A KPL aggregated record whose trailing MD5 does not match its protobuf body. Used internally and turned into a
 * `KPL_CHECKSUM_MISMATCH` rejection; never escapes the public API.
 */
export class KplChecksumError extends RecordDecodeError {
  /** Reason code of the resulting rejection. */
  public readonly reason = 'KPL_CHECKSUM_MISMATCH';

  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KplChecksumError';
  }
}

/**
 * The event is not a Lambda Kinesis event (no `kinesis` object, an eventID without a shard id). This is a wiring
 * mistake, not bad data, so it is thrown rather than returned as a rejection.
 */
export class EventShapeError extends RecordDecodeError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventShapeError';
  }
}
