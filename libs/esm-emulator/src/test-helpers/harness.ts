import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { EventSourceMapping } from '../EventSourceMapping';
import type {
  EsmHandler,
  EsmKinesisEvent,
  EventSourceMappingOptions,
  EventSourceMappingSettings,
} from '../types';

/** Fast pacing for tests: polls every 20 ms when idle and retries after 5..20 ms. */
export const FAST = { idlePollIntervalMs: 20, retryBackoff: { initialMs: 5, maxMs: 20 } } as const;

/** A handler that records every event it receives and answers with `respond`. */
export function recordingHandler(
  respond: (event: EsmKinesisEvent, call: number) => unknown = () => undefined,
): EsmHandler & { events: EsmKinesisEvent[] } {
  const events: EsmKinesisEvent[] = [];
  const handler = async (event: EsmKinesisEvent): Promise<unknown> => {
    events.push(event);
    return respond(event, events.length);
  };
  return Object.assign(handler, { events });
}

/** Builds a mapping with fast pacing; `extra` overrides any option. */
export function mappingFor(
  kinesis: KinesisClient,
  streamName: string,
  handler: EsmHandler,
  settings: Partial<EventSourceMappingSettings>,
  extra: Partial<EventSourceMappingOptions> = {},
): EventSourceMapping {
  return new EventSourceMapping({
    kinesis,
    streamName,
    handler,
    functionName: 'fn',
    settings: { starting_position: 'TRIM_HORIZON', ...settings },
    ...FAST,
    ...extra,
  });
}

/** Sequence numbers of every record of every event, in delivery order. */
export function deliveredSequenceNumbers(events: EsmKinesisEvent[]): string[] {
  return events.flatMap((event) => event.Records.map((record) => record.kinesis.sequenceNumber));
}
