/** The longest line (one event) the importer puts on the stream: the pipeline's 256 KiB per event. */
export const MAX_LINE_BYTES = 256 * 1024;

/** Kinesis write limits per open shard: 1 MiB/s and 1,000 records/s. */
export const SHARD_BYTES_PER_SECOND = 1024 * 1024;
export const SHARD_RECORDS_PER_SECOND = 1_000;

/** Object names the inbox imports: NDJSON, plain or gzip (the gzip is also recognised by its magic bytes). */
export const INBOX_SUFFIXES = ['.ndjson', '.ndjson.gz'] as const;

/** The longest S3 object key. */
export const MAX_KEY_BYTES = 1024;

/** S3 bucket names (3 to 63 lower-case letters, digits, '.' and '-'). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An S3 ETag as notifications carry it (without quotes): hex, with `-<parts>` for multipart uploads. */
export const ETAG = /^[0-9a-fA-F]{32}(-[0-9]{1,5})?$/;

/** Kinesis partition keys are 1 to 256 characters. */
export const MAX_PARTITION_KEY_CHARS = 256;

/** A continuation chain longer than this is stopped: at 900 s per hop, 1,000 hops are more than ten days. */
export const MAX_HOPS = 1_000;

/** The `source` of the continuation events the importer sends itself. */
export const CONTINUATION_SOURCE = 'shardline.s3-import';
