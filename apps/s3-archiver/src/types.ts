import type { DecodedRecord } from '@shardline/records';

/** One archive object to write: the records of one run of one hour of arrival, capped in bytes. */
export interface ArchiveObjectPlan<T = unknown> {
  /** Full object key: `<prefix>/dt=YYYY-MM-DD/hour=HH/<shardId>-<firstSequenceNumber>.ndjson.gz`. */
  key: string;
  /** UTC date of arrival of the object's records, `YYYY-MM-DD`. */
  dt: string;
  /** UTC hour of arrival of the object's records, `00`..`23`. */
  hour: string;
  shardId: string;
  /** Sequence number of the first record (the object's identity inside its partition). */
  firstSequenceNumber: string;
  /** Sequence number of the last record. */
  lastSequenceNumber: string;
  /** The records, in sequence order; their `text` lines make the object. */
  records: ReadonlyArray<DecodedRecord<T>>;
  /** NDJSON bytes before compression (each line plus its newline). */
  ndjsonBytes: number;
  /**
   * Why the object starts where it does: the batch starts there, the hour of arrival changes, a marker record
   * (a deterministic function of its sequence number), a quarantined record precedes it, or the size cap forced a
   * cut between markers (the one start that depends on where the batch began).
   */
  start: 'batch' | 'hour' | 'marker' | 'poison' | 'cap';
}

/** Options of {@link planArchiveObjects}. */
export interface PlanOptions {
  /** Key prefix, without leading or trailing slash, e.g. `events`. */
  prefix: string;
  /** Cap on an object's NDJSON bytes before compression; a single Kinesis record larger than it gets its own object. */
  maxObjectBytes: number;
  /**
   * Sequence numbers of the batch's quarantined records. An object never spans one: if quarantine delivery fails,
   * the retry starts at the poison record, and the next object must then start where it started before.
   */
  poisonSequenceNumbers?: Iterable<string>;
  /**
   * Average NDJSON bytes between marker records (see `isCutMarker`); default `maxObjectBytes / 16`, so that
   * the stretch between two markers exceeds the cap with a probability of about e^-16.
   */
  averageCutBytes?: number;
}
