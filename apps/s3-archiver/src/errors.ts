/** Base class of every error raised by the S3 archiver. */
export class ArchiverError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiverError';
  }
}

/** The records handed to the planner break an assumption of the key scheme (one shard, sequence order). */
export class ArchivePlanError extends ArchiverError {
  constructor(message: string) {
    super(message);
    this.name = 'ArchivePlanError';
  }
}
