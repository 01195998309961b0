import { consumerNames, pipelineOutputs, type OutputFormat, type PipelineOutput } from '@shardline/contract';
import type { Expectations } from './expectations';
import type { ContentsByFormat, OutputContents, SinkContents } from './readSinks';
import { verifySinks } from './verifySinks';

const SOURCE = 'urn:test';
const event = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ source: SOURCE, id, ...extra });

// Two valid events, the first put twice (two stream records), and one invalid record.
const expected: Expectations = {
  produced: 4,
  valid: [
    {
      identity: `${SOURCE}\u0000a`,
      campaignId: 'c1',
      type: 't',
      windowStart: '2026-12-01T10:00:00Z',
      revenueMicros: 5n,
    },
    {
      identity: `${SOURCE}\u0000a`,
      campaignId: 'c1',
      type: 't',
      windowStart: '2026-12-01T10:00:00Z',
      revenueMicros: 5n,
    },
    {
      identity: `${SOURCE}\u0000b`,
      campaignId: 'c2',
      type: 't',
      windowStart: '2026-12-01T10:01:00Z',
      revenueMicros: 0n,
    },
  ],
  invalidData: ['bm90IGpzb24='],
};

function outputOf<F extends OutputFormat>(format: F): PipelineOutput & { format: F } {
  const output = pipelineOutputs().find((o) => o.format === format);
  if (!output) throw new Error(`the contract declares no ${format} output`);
  return output as PipelineOutput & { format: F };
}

const sinks = (contents: { [F in OutputFormat]?: ContentsByFormat[F] }): SinkContents => ({
  outputs: Object.entries(contents).map(
    ([format, c]) => ({ format, output: outputOf(format as OutputFormat), contents: c }) as OutputContents,
  ),
  onFailure: {},
});

const verdictOf = (sinkContents: SinkContents, format: OutputFormat) =>
  verifySinks(expected, sinkContents, ['enrichment']).outputs.find((v) => v.output.format === format)!;

describe('verifySinks', () => {
  it('wants an event once per stream record in the archive and the stream, once per identity in the index', () => {
    // Prepare
    const lines = [event('a'), event('b')];

    // Act
    const verification = verifySinks(
      expected,
      sinks({
        'ndjson-gzip': { objects: [{ key: 'k', bytes: 1, records: 2 }], lines },
        'json-records': { records: [event('a'), event('a'), event('b'), event('c')] },
        documents: {
          documents: lines.map((l, i) => ({ _index: 'x', _id: String(i), _source: JSON.parse(l) })),
        },
      }),
      ['enrichment'],
    );

    // Assess
    const [archive, stream, index] = verification.outputs;
    expect(archive).toMatchObject({ holds: 2, missing: 1, duplicated: 0, lost: 1 });
    expect(stream).toMatchObject({ holds: 4, missing: 0, unexpected: 1, excess: 1 });
    expect(index).toMatchObject({ holds: 2, missing: 0, duplicated: 0, lost: 0 });
    expect(verification).toMatchObject({ lost: 1, duplicated: 1 });
  });

  it('checks counters and their revenue sums', () => {
    // Act
    const verdict = verdictOf(
      sinks({
        'minute-counters': {
          rows: [
            {
              campaignId: 'c1',
              type: 't',
              windowStart: '2026-12-01T10:00:00Z',
              count: 2,
              revenueMicros: '9',
            },
            {
              campaignId: 'c2',
              type: 't',
              windowStart: '2026-12-01T10:01:00Z',
              count: 1,
              revenueMicros: '0',
            },
          ],
        },
      }),
      'minute-counters',
    );

    // Assess
    expect(verdict).toMatchObject({ holds: 3, missing: 0, duplicated: 0, mismatches: 1 });
    expect(verdict.notes['revenue mismatches']).toBe(1);
  });

  it('counts a quarantined record once however often SQS delivered it, and a message whose overflow could not be read', () => {
    // Prepare
    const message = JSON.stringify({ consumer: 'enrichment', reason: 'INVALID_JSON', data: 'bm90IGpzb24=' });

    // Act
    const verdict = verdictOf(
      sinks({
        'quarantine-messages': {
          messages: [message, message],
          fromOverflow: 1,
          unresolved: ['s3://elsewhere/x'],
        },
      }),
      'quarantine-messages',
    );

    // Assess
    expect(verdict).toMatchObject({ holds: 1, missing: 0, lost: 0, excess: 0, mismatches: 1 });
    expect(verdict.notes).toMatchObject({ repeats: 1, 'from overflow': 1, 'unreadable overflow': 1 });
  });

  it('wants each invalid record quarantined by every consumer that reads the stream producers write', () => {
    // Prepare
    const quarantiners = consumerNames.slice(0, 2);
    const message = JSON.stringify({ consumer: quarantiners[0], data: 'bm90IGpzb24=' });

    // Act
    const verification = verifySinks(
      expected,
      sinks({ 'quarantine-messages': { messages: [message], fromOverflow: 0, unresolved: [] } }),
      quarantiners,
    );

    // Assess
    expect(verification).toMatchObject({ quarantined: 1, lost: 1 });
  });

  it('takes a record an ingest function quarantined at the door for the consumers’ quarantine of it', () => {
    // Prepare: the importer quarantined the invalid record as a malformed line; it never reached the stream.
    const quarantiners = consumerNames.slice(0, 2);
    const atDoor = JSON.stringify({ consumer: 's3-import', data: 'bm90IGpzb24=' });
    const stray = JSON.stringify({ consumer: 's3-import', data: 'b3RoZXI=' });

    // Act
    const verification = verifySinks(
      expected,
      sinks({ 'quarantine-messages': { messages: [atDoor], fromOverflow: 0, unresolved: [] } }),
      quarantiners,
    );
    const withStray = verifySinks(
      expected,
      sinks({ 'quarantine-messages': { messages: [atDoor, stray], fromOverflow: 0, unresolved: [] } }),
      quarantiners,
    );

    // Assess
    expect(verification).toMatchObject({ quarantined: 1, lost: 0 });
    expect(withStray.outputs.find((o) => o.output.format === 'quarantine-messages')).toMatchObject({
      missing: 0,
      unexpected: 1,
    });
  });
});
