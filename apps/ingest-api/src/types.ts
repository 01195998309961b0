/** Why an event was refused at the door: it can never become valid, so retrying it is pointless. */
export type RefuseReason =
  'NOT_JSON' | 'NOT_OBJECT' | 'MISSING_ATTRIBUTE' | 'UNSUPPORTED_SPECVERSION' | 'EVENT_TOO_LARGE';

/** An event fit to be stored: its JSON text as it goes on the stream, and its partition key. */
export interface ValidEvent {
  /** Position of the event in the request, from 0 (for NDJSON: among the non-blank lines). */
  index: number;
  id: string;
  source: string;
  text: string;
  partitionKey: string;
}

/** An event refused at the door. */
export interface RefusedEvent {
  index: number;
  /** 1-based line of an NDJSON body. */
  line?: number;
  id?: string;
  reason: RefuseReason;
  message: string;
}

/** The events of one request, sorted into those worth storing and those refused. */
export interface ParsedEvents {
  valid: ValidEvent[];
  refused: RefusedEvent[];
}

/** An event the stream did not take: the producer may send it again. */
export interface RetryableEvent {
  index: number;
  id: string;
  reason: 'THROTTLED' | 'NOT_STORED';
  /** The Kinesis error code, e.g. `ProvisionedThroughputExceededException`. */
  errorCode: string;
  message: string;
}

/** The answer body of `POST /v1/events`: counts, then one entry per event not accepted, in request order. */
export interface IngestResponseBody {
  accepted: number;
  refused: number;
  retryable: number;
  events: Array<({ status: 'refused' } & RefusedEvent) | ({ status: 'retryable' } & RetryableEvent)>;
}
