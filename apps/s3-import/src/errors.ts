/** Base class of the importer's errors. */
export class ImportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ImportError';
  }
}

/** The invocation event is neither an S3 notification nor a continuation: nothing in it can be imported. */
export class ImportEventError extends ImportError {
  constructor(message: string) {
    super(message);
    this.name = 'ImportEventError';
  }
}

/**
 * Records of a chunk could still not be put after every attempt: the invocation fails, so Lambda's asynchronous
 * retry resumes from the last checkpoint (the chunk's records that did land are put again, within the window).
 */
export class PutRecordsIncompleteError extends ImportError {
  constructor(
    readonly failed: number,
    readonly firstError: string,
  ) {
    super(
      `${failed} record(s) of a chunk were not put on the stream (${firstError}); the import resumes on retry`,
    );
    this.name = 'PutRecordsIncompleteError';
  }
}

/**
 * Another invocation advanced this object's checkpoint first (a duplicate notification running concurrently):
 * this one stops, so the two never both import the rest.
 */
export class CheckpointConflictError extends ImportError {
  constructor(readonly objectId: string) {
    super(`the checkpoint of ${objectId} was advanced by another invocation; this one stops`);
    this.name = 'CheckpointConflictError';
  }
}
