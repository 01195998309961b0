/** Default key prefix under the bucket (ARCHIVE_PREFIX). */
export const DEFAULT_ARCHIVE_PREFIX = 'events';

/**
 * Default cap on an object's NDJSON bytes before compression (ARCHIVE_MAX_OBJECT_BYTES). A Lambda batch carries at
 * most 6 MB of (base64) payload, so with this default a batch splits only when its records inflate from gzip.
 */
export const DEFAULT_MAX_OBJECT_BYTES = 64 * 1024 * 1024;

/** Smallest accepted cap: one largest decodable record (256 KiB) must fit. */
export const MIN_MAX_OBJECT_BYTES = 256 * 1024 + 1;

/**
 * gzip level of the archive objects, chosen by measurement on 10,000 enriched events (README, "Compression and
 * cost"): level 6 stores 14-19 % fewer bytes than levels 3 and 1 for about twice their CPU; level 9 saves another
 * 4 % for up to 2.5 times more CPU.
 */
export const GZIP_LEVEL = 6;

/** File name suffix of every archive object. */
export const OBJECT_SUFFIX = '.ndjson.gz';

/** User metadata keys of an archive object (sent as `x-amz-meta-<key>`). */
export const METADATA_KEYS = {
  recordCount: 'record-count',
  firstSequenceNumber: 'first-sequence-number',
  lastSequenceNumber: 'last-sequence-number',
} as const;
