/** One object version to import, as validated from the invocation event. */
export interface ImportTarget {
  bucket: string;
  /** The decoded object key. */
  key: string;
  /** The object's ETag (without quotes): identifies the version imported and guards every read. */
  etag: string;
  /** The version id, when the bucket is versioned (reported in quarantine messages). */
  versionId?: string;
  /** Size in bytes, as the notification reported it. */
  size?: number;
  /** Continuation hops so far: 0 for an S3 notification. */
  hop: number;
}

/** Progress through one object version: what the checkpoint records. */
export interface Progress {
  /** Lines consumed (imported, quarantined or blank), from the start of the object. */
  lines: number;
  /** Bytes consumed up to the end of the last line counted, in the decompressed content. */
  bytes: number;
  /** Whether the whole object has been imported. */
  done: boolean;
}

/** The stored progress of one object version. */
export interface Checkpoints {
  /** The stored progress, or undefined when the object was never started. */
  read(objectId: string): Promise<Progress | undefined>;
  /**
   * Stores `next` if the stored progress still equals `previous` (undefined: none stored).
   * @throws {CheckpointConflictError} when another invocation advanced it meanwhile.
   */
  advance(objectId: string, previous: Progress | undefined, next: Progress): Promise<void>;
}

/** The event the importer sends itself to continue an object where it stopped. */
export interface ContinuationEvent {
  source: 'shardline.s3-import';
  /** The object, with the hop this continuation is, and the checkpoint when the hand-off was decided (the
   * stored one is authoritative). */
  continuation: ImportTarget & { checkpoint: Progress };
}
