import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rawDefaults from './defaultLatencyModel.json';
import { UsageError } from '../pipeline/errors';
import { LatencyModelError } from './errors';
import { defaultLatencyModel, latencyOf, loadLatencyModel } from './latencyModel';

function writeModel(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'latency-model-')), 'latency.json');
  writeFileSync(path, content);
  return path;
}

describe('defaultLatencyModel', () => {
  it.each([
    ['dynamodb', ['UpdateItem', 'PutItem', 'GetItem', 'BatchGetItem', 'BatchWriteItem']],
    ['kinesis', ['PutRecords', 'GetRecords', 'GetShardIterator', 'ListShards']],
    ['s3', ['PutObject', 'GetObject']],
    ['sqs', ['SendMessage', 'SendMessageBatch']],
    ['opensearch', ['Bulk']],
  ])(
    'lists %s calls with a dated source and a note on what is published and what is assumed',
    (service, operations) => {
      for (const operation of operations) {
        // Act
        const entry = defaultLatencyModel.calls[service]?.[operation];

        // Assess
        expect(entry).toBeDefined();
        expect(entry!.source?.url).toMatch(/^https:\/\/(docs\.)?aws\.amazon\.com\//);
        expect(entry!.source?.lookedUp).toBe('2026-12-01');
        expect(entry!.note).toMatch(/[Pp]ublished|[Aa]ssumption/);
      }
    },
  );

  it('says of its default entry that it is an assumption', () => {
    // Assess
    expect(rawDefaults.default.note).toMatch(/[Aa]ssumption/);
    expect(defaultLatencyModel.default.p50Ms).toBeGreaterThan(0);
  });
});

describe('loadLatencyModel', () => {
  it('replaces only the entries the file names and keeps the defaults for the others', () => {
    // Prepare
    const path = writeModel(
      JSON.stringify({
        calls: {
          dynamodb: { UpdateItem: { p50Ms: 8, p99Ms: 40 } },
          kinesis: { DescribeStream: { p50Ms: 9, p99Ms: 30 } },
        },
      }),
    );

    // Act
    const model = loadLatencyModel(path);

    // Assess
    expect(latencyOf(model, 'dynamodb', 'UpdateItem')).toEqual({ p50Ms: 8, p99Ms: 40, perKbMs: 0 });
    expect(latencyOf(model, 'kinesis', 'DescribeStream').p50Ms).toBe(9);
    expect(latencyOf(model, 'dynamodb', 'GetItem')).toEqual(
      defaultLatencyModel.calls['dynamodb']!['GetItem'],
    );
    expect(model.default).toEqual(defaultLatencyModel.default);
  });

  it('replaces the default entry when the file gives one', () => {
    // Prepare
    const path = writeModel('{"default": {"p50Ms": 50, "p99Ms": 50, "perKbMs": 1}}');

    // Act
    const model = loadLatencyModel(path);

    // Assess
    expect(latencyOf(model, 'lambda', 'Invoke')).toEqual({ p50Ms: 50, p99Ms: 50, perKbMs: 1 });
  });

  it.each([
    [
      'a p99 below the p50',
      '{"calls":{"s3":{"PutObject":{"p50Ms":50,"p99Ms":10}}}}',
      'calls.s3.PutObject.p99Ms must be a number of milliseconds >= p50Ms (50), got 10',
    ],
    [
      'a missing p50',
      '{"calls":{"sqs":{"SendMessage":{"p99Ms":10}}}}',
      'calls.sqs.SendMessage.p50Ms must be a number of milliseconds > 0, got undefined',
    ],
    [
      'a latency given as text',
      '{"default":{"p50Ms":"5","p99Ms":10}}',
      'default.p50Ms must be a number of milliseconds > 0, got "5"',
    ],
    [
      'a negative cost per KiB',
      '{"calls":{"opensearch":{"Bulk":{"p50Ms":5,"p99Ms":10,"perKbMs":-1}}}}',
      'calls.opensearch.Bulk.perKbMs must be a number of milliseconds >= 0, got -1',
    ],
    [
      'a misspelt field',
      '{"calls":{"dynamodb":{"GetItem":{"p50Ms":5,"p95Ms":10}}}}',
      'calls.dynamodb.GetItem: unknown field "p95Ms"',
    ],
    [
      'an operation that is not an object',
      '{"calls":{"dynamodb":{"GetItem":5}}}',
      'calls.dynamodb.GetItem must be an object with p50Ms and p99Ms',
    ],
    [
      'a service that is not an object of operations',
      '{"calls":{"dynamodb":[]}}',
      'calls.dynamodb must be an object of operations',
    ],
    ['a misspelt top-level field', '{"call":{}}', 'unknown field "call"'],
    [
      'a source without a date',
      '{"default":{"p50Ms":5,"p99Ms":10,"source":{"title":"t","url":"u","lookedUp":"1 Dec"}}}',
      'default.source.lookedUp must be a date YYYY-MM-DD, got "1 Dec"',
    ],
    ['an array', '[]', 'must be a JSON object with "calls" and/or "default"'],
    ['text that is not JSON', '{"calls":', 'not valid JSON'],
  ])('refuses %s, naming the file and the entry', (_, content, message) => {
    // Prepare
    const path = writeModel(content);

    // Act
    const act = () => loadLatencyModel(path);

    // Assess
    expect(act).toThrow(LatencyModelError);
    expect(act).toThrow(`${path}`);
    expect(act).toThrow(message);
  });

  it('names the file it cannot read', () => {
    // Prepare
    const path = join(tmpdir(), 'no-such-dir-latency', 'missing.json');

    // Act
    const act = () => loadLatencyModel(path);

    // Assess: a usage error, so the command that took the flag exits 2
    expect(act).toThrow(UsageError);
    expect(act).toThrow(LatencyModelError);
    expect(act).toThrow(`cannot read latency model ${path}`);
  });
});
