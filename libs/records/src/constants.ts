import type { DecodeLimits } from './types';

/**
 * Default limits: 256 KiB per decoded record (the pipeline's contract), nesting depth 32, gzip output bounded by
 * the record limit, 1 MiB of Kinesis data (the Kinesis record limit) and 16 MiB of gzip output per KPL record.
 */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxRecordBytes: 256 * 1024,
  maxDepth: 32,
  maxInflateBytes: 256 * 1024,
  maxDataBytes: 1024 * 1024,
  maxInflateBytesPerRecord: 16 * 1024 * 1024,
});

/** Leading bytes of a KPL aggregated record. */
export const KPL_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);

/** Length of the MD5 digest trailing a KPL aggregated record. */
export const KPL_DIGEST_BYTES = 16;

/** Object keys that could reach `Object.prototype` when a payload is merged into another object. */
export const FORBIDDEN_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);
